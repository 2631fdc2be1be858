# Network benchmarks of bench/run.sh (sourced): listen vs a bare net/http
# handler under wrk; send and replay vs hey against a no-op server. Loopback only.

PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	PIDS=()
}
trap cleanup EXIT

# wait_port PORT: until something accepts TCP connections on 127.0.0.1:PORT (10 s at most).
wait_port() {
	local i
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "nothing listens on 127.0.0.1:$1" >&2
	return 1
}

# start_bare: a bare net/http server; sets BARE_PORT.
start_bare() {
	local f="$WORK/bare.addr"
	: >"$f"
	barehttp -addr 127.0.0.1:0 >"$f" &
	PIDS+=($!)
	local i
	for i in $(seq 100); do [ -s "$f" ] && break; sleep 0.1; done
	BARE_PORT=$(sed 's/.*://' "$f")
	wait_port "$BARE_PORT"
}

free_port() { # a free loopback port, by asking the kernel
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + RANDOM % 20000))
}

setup_hey() {
	command -v hey >/dev/null && return 0
	log "installing hey@$HEY (go install, into $CACHE/bin)"
	GOBIN="$CACHE/bin" timeout 600 go install "github.com/rakyll/hey@$HEY" >&2
}

# wall_rate N CMD...: deliveries per second of a command doing N deliveries (wall time).
wall_rate() {
	local n=$1
	shift
	local t0 t1
	t0=$(date +%s%N)
	timeout 300 "$@" >/dev/null 2>&1 || { echo 0; return; }
	t1=$(date +%s%N)
	awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n/((b-a)/1e9)}'
}

median3() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_listen() {
	apt_install wrk wrk || { result "listen / bare net/http (wrk req/s)" "wrk unavailable" ">= 0.25" 0; return; }
	setup_hey || true
	local body="$WORK/body.json" secs=10
	[ $QUICK = 1 ] && secs=5
	cp "$ROOT/fixtures/v$VERSION/incoming_chat.json" "$body"
	cat >"$WORK/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$body", "rb")
wrk.body = f:read("*a")
f:close()
EOF
	start_bare || return
	log "wrk ${secs}s against the bare net/http handler"
	local bare
	bare=$(timeout $((secs + 30)) wrk -t2 -c32 -d"${secs}s" -s "$WORK/post.lua" "http://127.0.0.1:$BARE_PORT/" | tee "$WORK/wrk-bare.txt" | awk '/^Requests\/sec/ {print $2}')
	cleanup

	local port rec="$WORK/listen.jsonl"
	port=$(free_port)
	rm -f "$rec"
	lcwh listen --addr "127.0.0.1:$port" --no-ui --api-version "$VERSION" --format json --record "$rec" >"$WORK/listen.out" 2>"$WORK/listen.err" &
	local lpid=$!
	PIDS+=($lpid)
	wait_port "$port" || { result "listen / bare net/http (wrk req/s)" "listen did not start" ">= 0.25" 0; cleanup; return; }
	log "wrk ${secs}s against lcwh listen (validation, --format json to a file, --record)"
	local lis
	lis=$(timeout $((secs + 30)) wrk -t2 -c32 -d"${secs}s" -s "$WORK/post.lua" "http://127.0.0.1:$port/" | tee "$WORK/wrk-listen.txt" | awk '/^Requests\/sec/ {print $2}')
	local done_wrk
	done_wrk=$(awk '/requests in/ {print $1}' "$WORK/wrk-listen.txt")
	kill -INT $lpid 2>/dev/null
	wait $lpid 2>/dev/null
	cleanup
	local r
	r=$(ratio "${lis:-0}" "${bare:-1}")
	result "listen / bare net/http (wrk req/s)" "$r (${lis:-0}/${bare:-0})" ">= 0.25" "$(ge "$r" 0.25)"
	local lines
	lines=$(wc -l <"$rec" 2>/dev/null || echo 0)
	# wrk stops mid-flight: up to -c requests were received but not counted.
	result "listen under wrk: recorded - wrk completed" "$((lines - done_wrk)) ($lines/$done_wrk)" "0..32 (in flight)" "$([ $((lines - done_wrk)) -ge 0 ] && [ $((lines - done_wrk)) -le 32 ] && echo 1 || echo 0)"

	# Exact count: hey sends exactly N and waits for every answer.
	command -v hey >/dev/null || return
	local n=20000
	[ $QUICK = 1 ] && n=4800 # a multiple of 32: hey sends n/c per worker
	port=$(free_port)
	rm -f "$rec"
	lcwh listen --addr "127.0.0.1:$port" --no-ui --api-version "$VERSION" --format json --record "$rec" >"$WORK/listen.out" 2>"$WORK/listen.err" &
	lpid=$!
	PIDS+=($lpid)
	wait_port "$port" || return
	log "hey: exactly $n deliveries to lcwh listen, 32 at a time"
	timeout 300 hey -n $n -c 32 -m POST -T application/json -D "$body" "http://127.0.0.1:$port/" >"$WORK/hey-listen.txt" 2>&1
	local ok
	ok=$(awk '/\[200\]/ {print $2}' "$WORK/hey-listen.txt")
	kill -INT $lpid 2>/dev/null
	wait $lpid 2>/dev/null
	cleanup
	lines=$(wc -l <"$rec" 2>/dev/null || echo 0)
	result "listen: recorded lines == deliveries answered 200" "$lines/${ok:-0} of $n" "equal, no loss" "$([ "$lines" = "${ok:-x}" ] && [ "$lines" = $n ] && echo 1 || echo 0)"
}

bench_send() {
	setup_hey || { result "send / hey" "hey unavailable" ">= 0.80" 0; return; }
	local n=20000 body="$WORK/body.json"
	[ $QUICK = 1 ] && n=4800 # a multiple of 32: hey sends n/c per worker
	cp "$ROOT/fixtures/v$VERSION/incoming_chat.json" "$body"
	local recn="$WORK/replay-$n.jsonl"
	[ -s "$recn" ] || genrecording -count $n -api-version "$VERSION" -out "$recn"
	start_bare || return
	local url="http://127.0.0.1:$BARE_PORT/"
	log "hey vs lcwh send vs lcwh replay: $n deliveries, 32 at a time, 3 rounds"
	local h=() s=() p=() i
	for i in 1 2 3; do
		h+=("$(wall_rate $n hey -n $n -c 32 -m POST -T application/json -D "$body" "$url")")
		s+=("$(wall_rate $n lcwh send incoming_chat --api-version "$VERSION" --to "$url" --count $n --concurrency 32)")
		p+=("$(wall_rate $n lcwh replay "$recn" --to "$url" --concurrency 32)")
	done
	local hm sm pm
	hm=$(median3 "${h[@]}")
	sm=$(median3 "${s[@]}")
	pm=$(median3 "${p[@]}")
	local r
	r=$(ratio "$sm" "$hm")
	result "send --count $n --concurrency 32 / hey (req/s)" "$r ($sm/$hm)" ">= 0.80" "$(ge "$r" 0.8)"
	r=$(ratio "$pm" "$hm")
	result "replay --concurrency 32 / hey (req/s)" "$r ($pm/$hm)" ">= 0.80" "$(ge "$r" 0.8)"

	local big="$WORK/recording-1G.jsonl"
	if [ $QUICK = 1 ]; then
		big="$WORK/recording-256M.jsonl"
		[ -s "$big" ] || genrecording -size 256M -api-version "$VERSION" -out "$big"
	else
		[ -s "$big" ] || genrecording -size 1G -api-version "$VERSION" -out "$big"
	fi
	log "replay $(du -h "$big" | cut -f1) recording: peak memory"
	local kb mb
	kb=$(timeout 900 /usr/bin/time -f %M lcwh replay "$big" --to "$url" --concurrency 32 2>&1 >/dev/null | tail -1)
	mb=$(awk -v k="$kb" 'BEGIN {printf "%.1f", k/1024}')
	result "replay $(du -h "$big" | cut -f1) recording: peak RSS (MB)" "$mb" "< 64" "$(awk -v a="$mb" 'BEGIN {print (a<64)?1:0}')"
	cleanup
}
