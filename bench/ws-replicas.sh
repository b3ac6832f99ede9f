#!/usr/bin/env bash
# Live progress across two real server processes sharing PostgreSQL and Redis: runs execute on replica b while a
# watcher is connected to replica a. The watcher must get a snapshot, then every event of the run in order with no
# gap or duplicate, then run.finished and a normal close (1000) — first with Redis working (fan-out through pub/sub),
# then with Redis stopped for a few seconds in the middle of the run (a falls back to reading the event log).
#
# WARNING: the second phase stops the machine's Redis for REDIS_DOWN seconds (default 6) and starts it again.
# Knobs: BENCH_RUN_DIR (default /tmp/rime-bench-wsr; b appends -b), BENCH_PORT_OFFSET_A/B (default 800/900).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir_a="${BENCH_RUN_DIR:-/tmp/rime-bench-wsr}"
run_dir_b="${run_dir_a%/}-b"
offset_a="${BENCH_PORT_OFFSET_A:-800}"
offset_b="${BENCH_PORT_OFFSET_B:-900}"
redis_down="${REDIS_DOWN:-6}"
operator_token=bench-operator-token-for-local-benchmarks

log() { echo "ws-replicas: $*" >&2; }
die() { log "$*"; exit 1; }
for tool in curl jq python3 redis-cli redis-server; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

pid_a=""
pid_b=""
stop_server() {  # stop_server PID RUN_DIR
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$1" 2>/dev/null || break; sleep 1; done
  kill -9 "$1" 2>/dev/null || true
  rm -f "$2/server.pid"
}
redis_up() {
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
    || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
}
cleanup() {
  redis_up
  stop_server "$pid_b" "$run_dir_b"
  stop_server "$pid_a" "$run_dir_a"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run_dir_a"
results="$run_dir_a/ws-replicas-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"

RIME_PLATFORM_REPLICA_ID=a BENCH_RUN_DIR="$run_dir_a" BENCH_PORT_OFFSET="$offset_a" \
  BENCH_BUILD_DIR="${BENCH_BUILD_DIR:-/tmp/rime-bench-build-wsr}" "$bench_dir/start-server.sh" >&2
pid_a=$(cat "$run_dir_a/server.pid")
RIME_PLATFORM_REPLICA_ID=b BENCH_RUN_DIR="$run_dir_b" BENCH_PORT_OFFSET="$offset_b" \
  BENCH_SHARE_FROM="$run_dir_a" "$bench_dir/start-server.sh" >&2
pid_b=$(cat "$run_dir_b/server.pid")
port_a=$((18443 + offset_a))
port_b=$((18443 + offset_b))
address=127.0.0.1

port=$port_a
source "$bench_dir/fixture.sh"
bench_fixture bench-ws-replicas
on_b() { local port=$port_b; api "$@"; }
base_b="https://$subdomain.localhost:$port_b/api/v1/projects/$project_id"

# A graph with a fan-out in the middle, so events come quickly and from parallel steps.
steps='[{"key": "start", "type": "wait", "config": {"seconds": 2}}'
for i in $(seq 1 12); do
  steps="$steps, {\"key\": \"fan_$i\", \"type\": \"wait\", \"config\": {\"seconds\": $((i % 3))}, \"depends_on\": [\"start\"]}"
done
steps="$steps, {\"key\": \"end\", \"type\": \"wait\", \"config\": {\"seconds\": 2}, \"depends_on\": [$(seq -s, -f '"fan_%g"' 1 12)]}]"
status=$(on_b -o "$results/pipeline.json" -w '%{http_code}' -X POST "$base_b/pipelines" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "{\"name\": \"watched\", \"steps\": $steps}") || die "creating the pipeline failed"
[ "$status" = 201 ] || die "creating the pipeline answered $status: $(head -c 400 "$results/pipeline.json")"
pipeline_id=$(jq -r .id "$results/pipeline.json")

# watch_run PHASE: a run executed by b, watched through a; checks the stream against b's event log.
watch_run() {
  local phase=$1 out="$results/$1.jsonl" run_id status last first_seq
  status=$(on_b -o "$results/$phase-run.json" -w '%{http_code}' -X POST "$base_b/pipelines/$pipeline_id/runs" \
    -H "Authorization: Bearer $token") || die "starting the run failed"
  [ "$status" = 202 ] || die "starting the run answered $status"
  run_id=$(jq -r .id "$results/$phase-run.json")
  python3 "$bench_dir/ws-watch.py" "$address" "$port_a" "$subdomain.localhost:$port_a" \
    "/api/v1/projects/$project_id/pipelines/$pipeline_id/runs/$run_id/progress" "$token" > "$out" &
  local watcher=$!
  if [ "$phase" = redis-down ]; then
    sleep 1
    log "stopping Redis for $redis_down s"
    redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
    sleep "$redis_down"
    redis_up
    log "Redis is back"
  fi
  for _ in $(seq 1 120); do kill -0 "$watcher" 2>/dev/null || break; sleep 0.5; done
  kill "$watcher" 2>/dev/null || true
  last=$(on_b "$base_b/pipelines/$pipeline_id/runs/$run_id" -H "Authorization: Bearer $token" | jq -r '.status + " " + (.last_seq|tostring)')
  python3 - "$out" "$last" "$phase" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
status, last_seq = sys.argv[2].split()
last_seq = int(last_seq)
messages = [l for l in lines if l["event"] == "message"]
closes = [l for l in lines if l["event"] == "close"]
problems = []
if not messages or messages[0]["type"] != "snapshot":
    problems.append("the first message is not a snapshot")
start = messages[0]["seq"] if messages else 0
seqs = [m["seq"] for m in messages[1:]]
expected = list(range(start + 1, last_seq + 1))
if seqs != expected:
    missing = sorted(set(expected) - set(seqs))
    dup = sorted({s for s in seqs if seqs.count(s) > 1})
    problems.append(f"events {seqs[:3]}..{seqs[-3:]} differ from {start + 1}..{last_seq} (missing {missing[:10]}, duplicated {dup[:10]})")
if not messages or messages[-1]["type"] != "run.finished":
    problems.append("the last message is not run.finished")
if not closes or closes[0]["code"] != 1000:
    problems.append(f"closed with {closes[0]['code'] if closes else 'no close frame'}")
print(f"   {sys.argv[3]:<12} run {status:<10} snapshot at {start:>3}, then {len(seqs):>3} events {start + 1}..{last_seq}"
      f", close {closes[0]['code'] if closes else '-'}: {'ok' if not problems else '; '.join(problems)}")
sys.exit(1 if problems else 0)
PY
}

ok=true
watch_run redis-up || ok=false
watch_run redis-down || ok=false
grep -h 'Run events' "$run_dir_a/server.log" | jq -r '"   a: \(.timestamp[11:23]) \(.message)"' 2>/dev/null | tail -n 4 || true
$ok || die "a watcher on a missed, repeated or reordered events of a run executed by b (see $results)"
echo "   result: every event of both runs reached the watcher on a, in order, exactly once"
