#!/usr/bin/env bash
# lcwh benchmarks, side by side with the tools a user would reach for.
# Every figure is a ratio measured in this run on this machine; see README.md.
#
#   bench/run.sh            full run (corpora of 1, 1,000, 10,000, 100,000 files)
#   bench/run.sh --quick    smaller corpora and fewer runs
#   bench/run.sh --only validate|go|startup|listen|send
#
# Loopback only. Every step is bounded by `timeout`; the whole run stops by itself.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0
ONLY=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) QUICK=1 ;;
	--only) ONLY="$2"; shift ;;
	*) echo "usage: bench/run.sh [--quick] [--only validate|go|startup|listen|send]" >&2; exit 2 ;;
	esac
	shift
done

CACHE=${LCWH_BENCH_CACHE:-$ROOT/bench/.cache}      # tools (gitignored)
WORK=${LCWH_BENCH_WORK:-${TMPDIR:-/tmp}/lcwh-bench} # corpora, recordings
mkdir -p "$CACHE/bin" "$WORK"
export PATH="$CACHE/bin:$PATH"
RESULTS="$WORK/results.txt"
: >"$RESULTS"

# Pinned peer versions.
AJV_CLI=5.0.0
AJV=8.17.1
AJV_FORMATS=3.0.1
HEY=v0.1.4

if [ $QUICK = 1 ]; then
	SIZES="1 1000 10000"
	RUNS=3
else
	SIZES="1 1000 10000 100000"
	RUNS=5
fi

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# result NAME MEASURED TARGET OK: one line of the final table.
result() {
	local status=MET
	[ "$4" = 1 ] || status=MISSED
	[ "$4" = "-" ] && status=info
	printf '%-52s %-22s %-14s %s\n' "$1" "$2" "$3" "$status" | tee -a "$RESULTS" >&2
}

# ---- tools -----------------------------------------------------------------

apt_install() { # apt_install CMD PACKAGE
	command -v "$1" >/dev/null && return 0
	log "installing $2 (apt-get)"
	local sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo -n"
	timeout 300 $sudo apt-get install -y -qq "$2" >/dev/null 2>&1 ||
		{ timeout 300 $sudo apt-get update -qq >/dev/null 2>&1 && timeout 300 $sudo apt-get install -y -qq "$2" >/dev/null 2>&1; }
	command -v "$1" >/dev/null || { echo "cannot install $2" >&2; return 1; }
}

setup() {
	apt_install hyperfine hyperfine || exit 1
	[ -x /usr/bin/time ] || apt_install /usr/bin/time time || exit 1
	log "building lcwh and the bench helpers"
	# lcwh as `make build` builds it (and releases are); the start-up
	# baseline, a Go hello-world, the same way.
	make -s build BIN="$CACHE/bin/lcwh" >&2 || exit 1
	make -s build BIN="$CACHE/bin/hello" MAIN=./bench/cmd/hello >&2 || exit 1
	go build -o "$CACHE/bin/gencorpus" ./bench/cmd/gencorpus || exit 1
	go build -o "$CACHE/bin/barehttp" ./bench/cmd/barehttp || exit 1
	go build -o "$CACHE/bin/genrecording" ./bench/cmd/genrecording || exit 1
	VERSION=$(lcwh schema --help | sed -n 's/.*--api-version.*default "\([0-9.]*\)".*/\1/p')
	VERSION=${VERSION:-3.6}
}

setup_ajv() {
	local dir="$CACHE/node"
	if [ ! -x "$dir/node_modules/.bin/ajv" ] || ! grep -q "\"version\": \"$AJV_CLI\"" "$dir/node_modules/ajv-cli/package.json"; then
		log "installing ajv-cli@$AJV_CLI ajv@$AJV ajv-formats@$AJV_FORMATS (npm, into $dir)"
		mkdir -p "$dir"
		(cd "$dir" && echo '{"private":true}' >package.json &&
			timeout 600 npm install --no-audit --no-fund --silent "ajv-cli@$AJV_CLI" "ajv@$AJV" "ajv-formats@$AJV_FORMATS" >&2) || return 1
	fi
	AJVBIN="$dir/node_modules/.bin/ajv"
	# lcwh's own schemas, plus a dispatcher that picks the action's schema.
	SCHEMAS="$WORK/schemas-$VERSION"
	rm -rf "$SCHEMAS" && mkdir -p "$SCHEMAS"
	lcwh schema --all --api-version "$VERSION" --out "$SCHEMAS" >/dev/null 2>&1 || return 1
	{
		printf '{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://schemas.lcwh.dev/%s/dispatch.json",' "$VERSION"
		printf '"$ref":"defs.json#/$defs/Envelope","allOf":['
		local sep=""
		for f in "$SCHEMAS"/*.json; do
			local a
			a=$(basename "$f" .json)
			case $a in defs | catalog | dispatch) continue ;; esac
			printf '%s{"if":{"properties":{"action":{"const":"%s"}},"required":["action"]},"then":{"$ref":"%s.json"}}' "$sep" "$a" "$a"
			sep=","
		done
		printf ']}\n'
	} >"$WORK/dispatch.json"
	rm -f "$SCHEMAS/catalog.json"
}

ajv_cmd() { # the ajv-cli command line validating a corpus directory
	echo "$AJVBIN validate --spec=draft2020 -c ajv-formats --strict=false --all-errors -s $WORK/dispatch.json -r '$SCHEMAS/*.json' -d '$1/*.json'"
}

corpus() { # corpus N: path of a generated corpus of N files
	local dir="$WORK/corpus-$VERSION-$1"
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		timeout 600 gencorpus -n "$1" -api-version "$VERSION" -out "$dir" || exit 1
		touch "$dir/.done"
	fi
	echo "$dir"
}

# median_ms CSV ROW: median in ms of the ROWth command (1-based) of a hyperfine CSV export.
median_ms() { awk -F, -v r="$2" 'NR==r+1 {printf "%.3f", $4*1000}' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a/b}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {print (a<=b) ? 1 : 0}'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN {print (a>=b) ? 1 : 0}'; }

# ---- validation ------------------------------------------------------------

bench_validate() {
	setup_ajv || { result "validate vs ajv-cli" "ajv-cli unavailable" "<= 0.50" 0; return; }
	for n in $SIZES; do
		local dir runs=$RUNS
		dir=$(corpus "$n")
		[ "$n" -ge 100000 ] && runs=3
		log "lcwh validate vs ajv-cli, $n files ($runs runs each)"
		local csv="$WORK/validate-$n.csv"
		timeout 1800 hyperfine -N --style none --warmup 1 --runs "$runs" --export-csv "$csv" \
			-n lcwh "lcwh validate --api-version $VERSION $dir" \
			-n ajv-cli "$(ajv_cmd "$dir")" >&2 2>&1 </dev/null ||
			{ result "validate $n files: lcwh / ajv-cli" "failed" "<= 0.50" 0; continue; }
		local l a r
		l=$(median_ms "$csv" 1)
		a=$(median_ms "$csv" 2)
		r=$(ratio "$l" "$a")
		result "validate $n files: lcwh / ajv-cli wall time" "$r ($l/$a ms)" "<= 0.50" "$(le "$r" 0.5)"
	done
	local big
	big=$(corpus "$(echo "$SIZES" | awk '{print $NF}')")
	log "peak memory of lcwh validate on $(ls "$big" | wc -l) files"
	local kb
	kb=$(timeout 600 /usr/bin/time -f %M lcwh validate --api-version "$VERSION" "$big" 2>&1 >/dev/null | tail -1)
	local mb
	mb=$(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}')
	result "validate $(ls "$big" | wc -l) files: peak RSS (MB)" "$mb" "<= 64" "$(le "$mb" 64)"
}

# ---- Go benchmarks: parse + validate vs encoding/json ------------------------

bench_go() {
	log "Go benchmarks: BenchmarkDecodeValidate vs BenchmarkEncodingJSONDecode"
	local out="$WORK/gobench.txt" count=6
	[ $QUICK = 1 ] && count=3
	timeout 900 go test ./pkg/payload -run '^$' -bench '^Benchmark(DecodeValidate|EncodingJSONDecode)$' \
		-benchmem -count $count -benchtime 1s | tee "$out" >&2
	local dv ej r
	dv=$(awk '$1 ~ /^BenchmarkDecodeValidate/ {print $3}' "$out" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	ej=$(awk '$1 ~ /^BenchmarkEncodingJSONDecode/ {print $3}' "$out" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	r=$(ratio "$dv" "$ej")
	result "parse+validate / encoding/json decode (per doc)" "$r ($dv/$ej ns)" "<= 3.00" "$(le "$r" 3)"
	local da ea
	# the value before "allocs/op"
	da=$(awk '$1 ~ /^BenchmarkDecodeValidate/ {for (i = 2; i <= NF; i++) if ($i == "allocs/op") print $(i-1)}' "$out" | head -1)
	ea=$(awk '$1 ~ /^BenchmarkEncodingJSONDecode/ {for (i = 2; i <= NF; i++) if ($i == "allocs/op") print $(i-1)}' "$out" | head -1)
	result "allocs/op: parse+validate vs encoding/json" "$da vs $ea" "fewer" "$(le "$da" "$ea")"
	local go
	go=$(timeout 600 go test ./pkg/payload -run '^$' -bench '^BenchmarkCatalogInit$' -count 3 | awk '$1 ~ /^BenchmarkCatalogInit/ {print $3}' | sort -n | sed -n 2p)
	result "payload init: catalogue parse (us)" "$(awk -v n="$go" 'BEGIN {printf "%.0f", n/1000}')" "info" -
}

# ---- start-up ----------------------------------------------------------------

bench_startup() {
	local one
	one=$(corpus 1)/$(ls "$(corpus 1)" | grep json | head -1)
	log "start-up (a Go hello-world built the same way is the baseline)"
	local csv="$WORK/startup.csv"
	timeout 600 hyperfine -N --style none --warmup 3 --runs 30 --export-csv "$csv" \
		-n hello "hello" -n version "lcwh --version" -n validate-one "lcwh validate --api-version $VERSION $one" >&2 </dev/null
	local h v o
	h=$(median_ms "$csv" 1)
	v=$(median_ms "$csv" 2)
	o=$(median_ms "$csv" 3)
	result "Go hello-world median (ms), the baseline" "$h" "info" -
	result "lcwh --version median (ms)" "$v ($(ratio "$v" "$h") x hello)" "< 15" "$(awk -v a="$v" 'BEGIN {print (a<15)?1:0}')"
	result "lcwh validate one.json median (ms)" "$o ($(ratio "$o" "$h") x hello)" "< 40" "$(awk -v a="$o" 'BEGIN {print (a<40)?1:0}')"
}

# ---- listen, send, replay ----------------------------------------------------

. "$ROOT/bench/net.sh"

setup
want validate && bench_validate
want go && bench_go
want startup && bench_startup
want listen && bench_listen
want send && bench_send

echo
printf '%-52s %-22s %-14s %s\n' "measure" "measured" "target" "status"
cat "$RESULTS"
grep -q MISSED "$RESULTS" && echo "(some targets missed: see bench/README.md)"
exit 0
