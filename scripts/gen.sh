#!/usr/bin/env bash
# Generates the files derived from the command tree, or checks them.
#   scripts/gen.sh completions|docs|man OUTDIR BIN   (re)write OUTDIR
#   scripts/gen.sh check KIND DIR BIN                fail if DIR differs from a fresh KIND
# Output is generated into a fresh directory and swapped in whole, so files of
# removed commands disappear; the check compares whole trees, so new commands
# are caught too.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

generate() { # kind outdir bin
	local kind=$1 out=$2 bin=$3 home
	home=$(mktemp -d)
	mkdir -p "$out"
	case $kind in
	completions)
		# No user or project config may influence the output.
		for sh in bash zsh fish powershell; do
			case $sh in
			bash) f=lcwh.bash ;; zsh) f=_lcwh ;; fish) f=lcwh.fish ;; powershell) f=lcwh.ps1 ;;
			esac
			(cd "$home" && env -u LCWH_CONFIG XDG_CONFIG_HOME="$home" "$repo/$bin" completion "$sh") >"$out/$f"
		done
		;;
	docs) go run ./internal/gendocs -md "$out" ;;
	man) go run ./internal/gendocs -man "$out" ;;
	*) echo "gen.sh: unknown kind $kind" >&2; exit 2 ;;
	esac
	rm -rf "$home"
}

case ${1:-} in
check)
	kind=$2 dir=$3 bin=$4
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	generate "$kind" "$tmp/out" "$bin"
	if ! diff -ru "$dir" "$tmp/out" >"$tmp/diff" 2>&1; then
		head -n 60 "$tmp/diff"
		echo "$dir is out of date with the command tree: run 'make $kind' and commit the result" >&2
		exit 1
	fi
	echo "$dir is up to date"
	;;
completions | docs | man)
	kind=$1 out=$2 bin=$3
	mkdir -p "$(dirname "$out")"
	tmp=$(mktemp -d "$(dirname "$out")/.gen.XXXXXX")
	generate "$kind" "$tmp" "$bin"
	rm -rf "$out"
	mv "$tmp" "$out"
	chmod 755 "$out"
	echo "wrote $out"
	;;
*)
	echo "usage: scripts/gen.sh completions|docs|man OUTDIR BIN | check KIND DIR BIN" >&2
	exit 2
	;;
esac
