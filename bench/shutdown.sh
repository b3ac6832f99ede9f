#!/usr/bin/env bash
# Graceful shutdown of one replica while it serves a WebSocket watcher, a slow request and a running pipeline step,
# with a second replica on the same database to take the step over.
#
# Replica a (BENCH_RUN_DIR, ports + BENCH_PORT_OFFSET) and replica b (<run dir>-b, ports + BENCH_PORT_OFFSET_B,
# sharing a's build and keys) both start through start-server.sh with the default orchestrator settings (30 s
# leases, a sweep every 2 s) and the default shutdown settings (delay 5 s, then up to 25 s for requests in flight).
# Through a, it starts a run of one `wait` step of WAIT_SECONDS (30) and opens one WebSocket watcher on that run
# (bench/ws-watch.py), then starts POST .../connectors/{id}/test for a postgresql connector pointed at a silent
# listener, and sends SIGTERM to a one second later. The listener (started here, on 127.0.0.1) accepts connections
# and never answers, so the test's login waits for the server's 10 s test timeout and then answers 200 with a
# failed check: a slow request with a normal answer. (An "unroutable" address such as 10.255.255.1 does not do:
# on some networks, this machine's among them, outbound connections are accepted at once by the network itself.)
# SLOW_HOST/SLOW_PORT point the connector somewhere else; the unhurried test before the run must take >= 5 s.
#
# Checks, one PASS/FAIL line each (exit 1 if any fails):
#   - readiness of a answers 503 (DOWN) within 1 s of SIGTERM and stays DOWN while a still listens;
#   - a request sent 2 s after SIGTERM (inside the delay) is still served;
#   - the watcher gets close code 1001 within 1 s;
#   - the slow request completes with its normal answer (200, same fields as an unhurried call before), not a reset;
#   - a exits within EXIT_TIMEOUT seconds;
#   - the step's lease is handed back at once (lease_expires_at moved to about the SIGTERM time, owner still a);
#   - b takes the step over within its sweep interval (+ 1 s of sampling) and the run succeeds through b;
#   - b, which served no WebSocket, exits within the delay + 3 s of its own SIGTERM (the control for the next line).
# And one NOTE line on the known limitation: an upgraded WebSocket request is never counted as done by Quarkus'
# graceful-shutdown filter, so a replica that served a watcher waits out the whole shutdown timeout.
#
# Knobs: BENCH_RUN_DIR, BENCH_BUILD_DIR, BENCH_PORT_OFFSET (a, default 0), BENCH_PORT_OFFSET_B (b, default a's + 100),
# WAIT_SECONDS (30), EXIT_TIMEOUT (45), RUN_TIMEOUT (120), SLOW_HOST and SLOW_PORT (default: the silent listener).
# Raw outputs go to $BENCH_RUN_DIR/shutdown-<UTC time>/.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir_a="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
run_dir_a="${run_dir_a%/}"
run_dir_b="$run_dir_a-b"
offset_a="${BENCH_PORT_OFFSET:-0}"
case "$offset_a" in ''|*[!0-9]*) echo "shutdown: BENCH_PORT_OFFSET must be a whole number" >&2; exit 1 ;; esac
offset_b="${BENCH_PORT_OFFSET_B:-$((offset_a + 100))}"
wait_seconds="${WAIT_SECONDS:-30}"
exit_timeout="${EXIT_TIMEOUT:-45}"
run_timeout="${RUN_TIMEOUT:-120}"
operator_token=bench-operator-token-for-local-benchmarks
database=rime_bench
address=127.0.0.1
shutdown_delay_s=5      # quarkus.shutdown.delay (RIME_SHUTDOWN_DELAY) as start-server.sh leaves it
sweep_interval_s=2      # the orchestrator's default sweep interval

log() { echo "shutdown: $*" >&2; }
die() { log "$*"; exit 1; }

for n in "$offset_b" "$wait_seconds" "$exit_timeout" "$run_timeout"; do
  case "$n" in ''|*[!0-9]*) die "BENCH_PORT_OFFSET_B, WAIT_SECONDS, EXIT_TIMEOUT and RUN_TIMEOUT must be whole numbers" ;; esac
done
[ "$offset_b" != "$offset_a" ] || die "BENCH_PORT_OFFSET_B must differ from BENCH_PORT_OFFSET"
[ "$wait_seconds" -ge 15 ] && [ "$wait_seconds" -le 120 ] || die "WAIT_SECONDS must be between 15 and 120"
for tool in curl jq psql awk python3; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
port_a=$((18443 + offset_a)); mgmt_a=$((19000 + offset_a))
port_b=$((18443 + offset_b)); mgmt_b=$((19000 + offset_b))

pid_a=""; pid_b=""; bg=(); listener_pid=""
stop_server() {  # stop_server PID RUN_DIR
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  log "stopping the server (PID $1)"
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$1" 2>/dev/null || break; sleep 1; done
  kill -9 "$1" 2>/dev/null || true
  rm -f "$2/server.pid"
}
cleanup() {
  for p in "${bg[@]}" $listener_pid; do kill "$p" 2>/dev/null || true; done
  # Only the servers this script started are stopped, by their own PIDs.
  stop_server "$pid_b" "$run_dir_b"
  stop_server "$pid_a" "$run_dir_a"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run_dir_a"
results="$run_dir_a/shutdown-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
date_started=$(date -u)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# ---- Two replicas ---------------------------------------------------------------------------------------------
RIME_PLATFORM_REPLICA_ID=a BENCH_RUN_DIR="$run_dir_a" BENCH_PORT_OFFSET="$offset_a" "$bench_dir/start-server.sh" >&2
pid_a=$(cat "$run_dir_a/server.pid")
RIME_PLATFORM_REPLICA_ID=b BENCH_RUN_DIR="$run_dir_b" BENCH_PORT_OFFSET="$offset_b" BENCH_SHARE_FROM="$run_dir_a" \
  "$bench_dir/start-server.sh" >&2
pid_b=$(cat "$run_dir_b/server.pid")

port=$port_a
source "$bench_dir/fixture.sh"
bench_fixture bench-shutdown
log "tenant $subdomain, project $project_id"
url_a="https://$subdomain.localhost:$port_a/api/v1/projects/$project_id"
url_b="https://$subdomain.localhost:$port_b/api/v1/projects/$project_id"
on_b() { local port=$port_b; api "$@"; }
now_ms() { date +%s%3N; }
db() { psql -h 127.0.0.1 -U postgres -d "$database" -v ON_ERROR_STOP=1 -qtAX -F ' ' "$@"; }

# A connector whose test cannot finish before the server's test timeout: its host accepts and never answers.
slow_host="${SLOW_HOST:-}"; slow_port="${SLOW_PORT:-5432}"
if [ -z "$slow_host" ]; then
  python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])  # kept open and never answered: the client waits for its own timeout
' > "$results/listener.port" &
  listener_pid=$!
  for _ in $(seq 1 50); do [ -s "$results/listener.port" ] && break; sleep 0.1; done
  slow_host=127.0.0.1; slow_port=$(cat "$results/listener.port")
  [ -n "$slow_port" ] || die "the silent listener did not start"
fi
status=$(api -o "$results/connector.json" -w '%{http_code}' -X POST "$url_a/connectors" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "{\"name\": \"silent\", \"type\": \"postgresql\", \"config\": {\"host\": \"$slow_host\",
    \"port\": $slow_port, \"database\": \"x\", \"username\": \"x\", \"password\": \"x\", \"ssl_mode\": \"disable\"}}") \
  || die "creating the connector failed"
[ "$status" = 201 ] || die "creating the connector answered $status: $(head -c 500 "$results/connector.json")"
connector_id=$(jq -r .id "$results/connector.json")
log "an unhurried connection test first, for its normal answer and duration"
baseline=$(api -o "$results/test-baseline.json" -w '%{http_code} %{time_total}' -X POST "$url_a/connectors/$connector_id/test" \
  -H "Authorization: Bearer $token") || die "the baseline connection test failed (curl exit $?)"
read -r baseline_status baseline_time <<< "$baseline"
[ "$baseline_status" = 200 ] || die "the baseline connection test answered $baseline_status: $(head -c 500 "$results/test-baseline.json")"
awk -v t="$baseline_time" 'BEGIN { exit !(t >= 5) }' \
  || die "the connection test to $slow_host:$slow_port answered in ${baseline_time}s, too fast to be in flight at SIGTERM: $(head -c 300 "$results/test-baseline.json")"
log "unhurried connection test: 200 after ${baseline_time}s"

baseline_keys=$(jq -c 'paths(scalars) | map(if type == "number" then 0 else . end) | join(".")' "$results/test-baseline.json" | sort -u | paste -sd ' ')

status=$(api -o "$results/pipeline.json" -w '%{http_code}' -X POST "$url_a/pipelines" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d "{\"name\": \"bench shutdown\", \"steps\": [{\"key\": \"w\", \"type\": \"wait\", \"config\": {\"seconds\": $wait_seconds}}]}") \
  || die "creating the pipeline failed"
[ "$status" = 201 ] || die "creating the pipeline answered $status: $(head -c 500 "$results/pipeline.json")"
pipeline_id=$(jq -r .id "$results/pipeline.json")
status=$(api -o "$results/run-start.json" -w '%{http_code}' -X POST "$url_a/pipelines/$pipeline_id/runs" -H "Authorization: Bearer $token") \
  || die "starting the run failed"
[ "$status" = 202 ] || die "starting the run answered $status: $(head -c 500 "$results/run-start.json")"
run_id=$(jq -r .id "$results/run-start.json")
deadline=$((SECONDS + 30))
until [ "$(db -c "select lease_owner from pipeline_run_steps where run_id = '$run_id' and key = 'w' and status = 'running'")" = a ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "step w was not running on a within 30 s"
  sleep 0.1
done

python3 "$bench_dir/ws-watch.py" "$address" "$port_a" "$subdomain.localhost:$port_a" \
  "/api/v1/projects/$project_id/pipelines/$pipeline_id/runs/$run_id/progress" "$token" > "$results/ws.ndjson" 2> "$results/ws.err" &
ws_pid=$!; bg+=("$ws_pid")
deadline=$((SECONDS + 15))
until grep -q '"event": "message"' "$results/ws.ndjson" 2>/dev/null; do
  grep -q '"event": "refused"' "$results/ws.ndjson" 2>/dev/null && die "the WebSocket was refused: $(cat "$results/ws.ndjson")"
  kill -0 "$ws_pid" 2>/dev/null || die "the WebSocket watcher ended: $(cat "$results/ws.ndjson" "$results/ws.err")"
  [ "$SECONDS" -lt "$deadline" ] || die "no event on the WebSocket within 15 s"
  sleep 0.1
done

inflight_start=$(now_ms)
( set +e
  out=$(api -o "$results/test-inflight.json" -w '%{http_code} %{time_total}' -X POST "$url_a/connectors/$connector_id/test" \
    -H "Authorization: Bearer $token" 2> "$results/test-inflight.err")
  echo "$? $out $(now_ms)" > "$results/test-inflight.status" ) &
inflight_pid=$!; bg+=("$inflight_pid")
sleep 1
lease_before=$(db -c "select lease_owner || ' ' || (extract(epoch from lease_expires_at) * 1000)::bigint from pipeline_run_steps where run_id = '$run_id' and key = 'w'")

# ---- SIGTERM to a --------------------------------------------------------------------------------------------
t0=$(now_ms)
kill -TERM "$pid_a"
log "SIGTERM to a (PID $pid_a)"

( set +e  # step row every 100 ms: sample time, owner, lease end, status, takeovers (until killed)
  while :; do
    db -c "select (extract(epoch from clock_timestamp()) * 1000)::bigint, coalesce(lease_owner, '-'),
             coalesce((extract(epoch from lease_expires_at) * 1000)::bigint, 0), status, takeovers, attempt
           from pipeline_run_steps where run_id = '$run_id' and key = 'w'" >> "$results/lease-samples.txt" 2>/dev/null
    sleep 0.1
  done ) &
sampler_pid=$!; bg+=("$sampler_pid")
( set +e  # readiness of a every 200 ms: time and status (000 = nothing listens) until a is gone
  while kill -0 "$pid_a" 2>/dev/null; do
    echo "$(now_ms) $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$mgmt_a/q/health/ready" 2>/dev/null)" >> "$results/ready-a.txt"
    sleep 0.2
  done ) &
ready_pid=$!; bg+=("$ready_pid")

sleep 2
during_delay=$(api -o "$results/get-during-delay.json" -w '%{http_code}' "$url_a" -H "Authorization: Bearer $token" 2>&1) || during_delay="curl exit $?"
during_delay_ms=$(( $(now_ms) - t0 ))

exit_ms=""
deadline=$((SECONDS + exit_timeout))
while [ "$SECONDS" -lt "$deadline" ]; do
  if ! kill -0 "$pid_a" 2>/dev/null; then exit_ms=$(now_ms); break; fi
  sleep 0.1
done
if [ -z "$exit_ms" ]; then
  log "a is still alive ${exit_timeout}s after SIGTERM; SIGKILL"
  kill -9 "$pid_a" 2>/dev/null || true
fi
killed_a=$pid_a; pid_a=""; rm -f "$run_dir_a/server.pid"
cp "$run_dir_a/server.log" "$results/server-a.log"
wait "$inflight_pid" 2>/dev/null || true
for _ in $(seq 1 50); do kill -0 "$ws_pid" 2>/dev/null || break; sleep 0.1; done

# ---- The run, through b ----------------------------------------------------------------------------------------
run_status=running
deadline=$((SECONDS + run_timeout))
while :; do
  on_b -o "$results/run.json" "$url_b/pipelines/$pipeline_id/runs/$run_id" -H "Authorization: Bearer $token" 2>/dev/null || true
  run_status=$(jq -r '.status // "running"' "$results/run.json" 2>/dev/null || echo running)
  case "$run_status" in queued|running) ;; *) break ;; esac
  if [ "$SECONDS" -ge "$deadline" ]; then run_status="still $run_status after ${run_timeout}s"; break; fi
  sleep 0.5
done
run_end_ms=$(now_ms)
sleep 0.3
kill "$sampler_pid" 2>/dev/null || true

# Control: b served no WebSocket; its own SIGTERM should end it after the delay alone.
t0_b=$(now_ms)
kill -TERM "$pid_b"
exit_b_ms=""
for _ in $(seq 1 $((exit_timeout * 10))); do
  if ! kill -0 "$pid_b" 2>/dev/null; then exit_b_ms=$(now_ms); break; fi
  sleep 0.1
done
[ -n "$exit_b_ms" ] || kill -9 "$pid_b" 2>/dev/null || true
pid_b=""; rm -f "$run_dir_b/server.pid"
cp "$run_dir_b/server.log" "$results/server-b.log"
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"

# ---- Evidence --------------------------------------------------------------------------------------------------
rel() { awk -v t="$1" -v z="$t0" 'BEGIN { printf "%+.2f s", (t - z) / 1000 }'; }
secs() { awk -v d="$1" 'BEGIN { printf "%.2f s", d / 1000 }'; }
failures=0
check() {  # check OK|FAIL TEXT
  if [ "$1" = OK ]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi
}

# Readiness: first non-200 after SIGTERM, and what it answered while a was still listening.
first_down=$(awk '$2 == 503 { print $1; exit }' "$results/ready-a.txt")
ready_codes=$(awk '{ c[$2]++ } END { for (k in c) { printf "%s%s x%d", sep, k, c[k]; sep = ", " } }' "$results/ready-a.txt")
up_after_down=$(awk -v d="${first_down:-0}" '$1 > d && $2 == 200 { print "yes"; exit }' "$results/ready-a.txt")
if [ -n "$first_down" ] && [ $((first_down - t0)) -le 1000 ] && [ -z "$up_after_down" ]; then
  check OK "readiness DOWN: first 503 at $(rel "$first_down"), never UP again (answers seen: $ready_codes)"
else
  check FAIL "readiness DOWN: first 503 at ${first_down:+$(rel "$first_down")}${first_down:-never}; UP again: ${up_after_down:-no} (answers seen: $ready_codes)"
fi

if [ "$during_delay" = 200 ]; then
  check OK "request inside the delay served: GET project at +$(secs "$during_delay_ms") answered 200"
else
  check FAIL "request inside the delay: GET project at +$(secs "$during_delay_ms") answered $during_delay: $(head -c 300 "$results/get-during-delay.json" 2>/dev/null)"
fi

ws_close=$(jq -c 'select(.event == "close" or .event == "eof" or .event == "error")' "$results/ws.ndjson" | head -n 1)
ws_code=$(jq -r '.code // empty' <<< "$ws_close" 2>/dev/null || true)
ws_t=$(jq -r '.t // empty' <<< "$ws_close" 2>/dev/null || true)
ws_messages=$(grep -c '"event": "message"' "$results/ws.ndjson" || true)
if [ "$ws_code" = 1001 ] && [ $((ws_t - t0)) -le 1000 ]; then
  check OK "WebSocket closed with 1001 at $(rel "$ws_t") (reason: $(jq -r .reason <<< "$ws_close"); $ws_messages messages before)"
else
  check FAIL "WebSocket close: ${ws_close:-none seen} (t0 $t0)"
fi

read -r inflight_curl inflight_status inflight_time inflight_end < "$results/test-inflight.status" || true
inflight_keys=$(jq -c 'paths(scalars) | map(if type == "number" then 0 else . end) | join(".")' "$results/test-inflight.json" 2>/dev/null | sort -u | paste -sd ' ')
if [ "${inflight_curl:-x}" = 0 ] && [ "${inflight_status:-}" = 200 ] && [ "$inflight_keys" = "$baseline_keys" ] && [ "${inflight_end:-0}" -gt "$t0" ]; then
  check OK "in-flight request completed normally: POST connectors/{id}/test sent at $(rel "$inflight_start"), answered 200 at $(rel "$inflight_end") after ${inflight_time}s (unhurried: ${baseline_time}s), same fields as the unhurried answer"
else
  check FAIL "in-flight request: curl exit ${inflight_curl:-?}, HTTP ${inflight_status:-?} at ${inflight_end:+$(rel "$inflight_end")} ($(cat "$results/test-inflight.err" 2>/dev/null | head -c 200)); fields $([ "$inflight_keys" = "$baseline_keys" ] && echo same || echo "differ: $inflight_keys vs $baseline_keys")"
fi

if [ -n "$exit_ms" ]; then
  check OK "a exited $(secs $((exit_ms - t0))) after SIGTERM"
else
  check FAIL "a did not exit within ${exit_timeout}s of SIGTERM (killed)"
fi

# Lease: the first sample after SIGTERM whose lease end moved; handed back = owner still a and end about now.
read -r owner_before expires_before <<< "$lease_before"
handback=$(awk -v t0="$t0" -v before="$expires_before" '$1 >= t0 && $3 != before { print; exit }' "$results/lease-samples.txt")
read -r hb_sampled hb_owner hb_expires _ <<< "${handback:-0 - 0}"
if [ -n "$handback" ] && [ "$hb_owner" = a ] && [ $((hb_expires - t0)) -le 2000 ] && [ $((hb_sampled - t0)) -le 2000 ]; then
  check OK "lease handed back: lease_expires_at moved from $(rel "$expires_before") to $(rel "$hb_expires") (seen at $(rel "$hb_sampled"), owner a)"
else
  check FAIL "lease hand-back: before SIGTERM owner $owner_before until $(rel "${expires_before:-0}"); first change: ${handback:-none} ($(rel "${hb_expires:-0}"))"
fi

takeover=$(awk -v t0="$t0" '$1 >= t0 && $2 == "b" && $4 == "running" { print; exit }' "$results/lease-samples.txt")
read -r to_sampled _ _ _ to_takeovers to_attempt <<< "${takeover:-0 - 0 - 0 0}"
final_step=$(db -c "select status || ' attempt ' || attempt || ' takeovers ' || takeovers from pipeline_run_steps where run_id = '$run_id' and key = 'w'")
handback_at=${hb_expires:-$t0}
if [ -n "$takeover" ] && [ $((to_sampled - handback_at)) -le $(( (sweep_interval_s + 1) * 1000 )) ] && [ "$run_status" = succeeded ]; then
  check OK "b took the step over at $(rel "$to_sampled") ($(secs $((to_sampled - handback_at))) after the hand-back; sweep every ${sweep_interval_s}s); run $run_status through b at $(rel "$run_end_ms"), step $final_step"
else
  check FAIL "takeover by b: ${takeover:+seen at $(rel "$to_sampled")}${takeover:-not seen}; run '$run_status'; step $final_step"
fi

if [ -n "$exit_b_ms" ] && [ $((exit_b_ms - t0_b)) -le $(( (shutdown_delay_s + 3) * 1000 )) ]; then
  check OK "b (no WebSocket served) exited $(secs $((exit_b_ms - t0_b))) after its SIGTERM"
else
  check FAIL "b exit: ${exit_b_ms:+$(secs $((exit_b_ms - t0_b)))}${exit_b_ms:-not within ${exit_timeout}s} after its SIGTERM"
fi

# The known limitation, stated from a's log: did the graceful phase time out although nothing was in flight?
jq_ms='def ms: ((sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) * 1000)
  + ((((capture("\\.(?<f>[0-9]+)Z$") | .f)? // "0") + "000") | .[0:3] | tonumber);'
shutdown_lines() {  # shutdown_lines LOG: the shutdown-related log lines with times relative to that replica's SIGTERM
  jq -rR --argjson z "$2" "$jq_ms"' fromjson? | select(.message | test("Shutting down|handed back|Waiting for HTTP|All HTTP requests|Timed out waiting|stopped in|Graceful shutdown|Took over"))
    | "\((.timestamp | ms) - $z)\t\(.level) [\(.loggerName | split(".") | last)] \(.message)"' "$1" 2>/dev/null \
    | awk -F'\t' '{ printf "%+8.2f s  %s\n", $1 / 1000, $2 }'
}
if grep -q 'Timed out waiting for graceful shutdown' "$results/server-a.log"; then
  limitation="CONFIRMED: a waited out the shutdown timeout (exit at +$(secs $((${exit_ms:-$t0} - t0))); the slow request had answered at $(rel "${inflight_end:-$t0}") and the watcher was closed at $(rel "${ws_t:-$t0}")), while b exited after $(secs $((${exit_b_ms:-$t0_b} - t0_b)))"
else
  limitation="not seen: a exited at +$(secs $((${exit_ms:-$t0} - t0))) without a graceful-shutdown timeout"
fi
echo "NOTE  WebSocket holds graceful shutdown: $limitation"

cat <<SUMMARY

== Shutdown of replica a (SIGTERM at t = 0; delay ${shutdown_delay_s}s, timeout 25s) with b on the same database
   a's log (relative to SIGTERM):
$(shutdown_lines "$results/server-a.log" "$t0" | sed 's/^/     /')
   b's log (relative to a's SIGTERM; b's own SIGTERM at $(rel "$t0_b")):
$(shutdown_lines "$results/server-b.log" "$t0" | sed 's/^/     /')
   slow request    POST connectors/{id}/test to $slow_host:$slow_port$([ -n "$listener_pid" ] && echo " (the silent listener)"); unhurried ${baseline_time}s
   watcher         $(jq -r '"\(.event) \(.code // "") \(.reason // "")"' <<< "${ws_close:-{\}}") at ${ws_t:+$(rel "$ws_t")}; $ws_messages messages
   readiness of a  $ready_codes (every 200 ms until a exited)
   lease samples   $(wc -l < "$results/lease-samples.txt" | tr -d ' ') (every 100 ms); before SIGTERM: owner $owner_before, lease until $(rel "${expires_before:-0}")
   run             $(jq -c '{status, duration_ms}' "$results/run.json" 2>/dev/null)
   server built    $(cat "$run_dir_a/build-commit.txt" 2>/dev/null || echo unknown)
   machine         $(nproc) CPUs, $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available", $2, $7 }'); started $date_started
   other work      $(grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt" && echo "Maven/Surefire processes were running" || echo "none seen")
raw output: $results
SUMMARY

[ "$failures" = 0 ] || { log "$failures check(s) failed"; exit 1; }
log "all checks passed"
