#!/usr/bin/env bash
# Schedules with two real server processes on one database: a pipeline and a connector that fire every minute,
# both replicas ticking every second. Each fire must start exactly one run — the replicas race to insert the fire's
# (schedule, fire time) row and only one can — so after M minute boundaries there are exactly M scheduled runs of
# each, with M distinct fire times.
#
# Knobs: MINUTES (boundaries to wait for, default 2), BENCH_PORT_OFFSET_A/B (default 900/1000), BENCH_RUN_DIR
# (default /tmp/rime-bench-sched; replica b appends -b). Fails (exit 1) unless every fire has exactly one run.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir_a="${BENCH_RUN_DIR:-/tmp/rime-bench-sched}"
run_dir_b="${run_dir_a%/}-b"
offset_a="${BENCH_PORT_OFFSET_A:-900}"
offset_b="${BENCH_PORT_OFFSET_B:-1000}"
minutes="${MINUTES:-2}"
operator_token=bench-operator-token-for-local-benchmarks
database=rime_bench

log() { echo "schedule-replicas: $*" >&2; }
die() { log "$*"; exit 1; }
for tool in curl jq psql; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
case "$minutes" in ''|*[!0-9]*) die "MINUTES must be a whole number" ;; esac

pid_a=""
pid_b=""
stop_server() {  # stop_server PID RUN_DIR
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$1" 2>/dev/null || break; sleep 1; done
  kill -9 "$1" 2>/dev/null || true
  rm -f "$2/server.pid"
}
cleanup() {
  stop_server "$pid_b" "$run_dir_b"
  stop_server "$pid_a" "$run_dir_a"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run_dir_a"
results="$run_dir_a/schedule-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"

# Both replicas look for due fires every second, so they race for every one.
export RIME_PIPELINES_SCHEDULER_INTERVAL=1s RIME_CONNECTORS_SCHEDULER_INTERVAL=1s
RIME_PLATFORM_REPLICA_ID=a BENCH_RUN_DIR="$run_dir_a" BENCH_PORT_OFFSET="$offset_a" \
  BENCH_BUILD_DIR="${BENCH_BUILD_DIR:-/tmp/rime-bench-build-sched}" "$bench_dir/start-server.sh" >&2
pid_a=$(cat "$run_dir_a/server.pid")
RIME_PLATFORM_REPLICA_ID=b BENCH_RUN_DIR="$run_dir_b" BENCH_PORT_OFFSET="$offset_b" \
  BENCH_SHARE_FROM="$run_dir_a" "$bench_dir/start-server.sh" >&2
pid_b=$(cat "$run_dir_b/server.pid")

port=$((18443 + offset_a))
address=127.0.0.1
source "$bench_dir/fixture.sh"
bench_fixture bench-schedules
base="https://$subdomain.localhost:$port/api/v1/projects/$project_id"

status=$(api -o "$results/pipeline.json" -w '%{http_code}' -X POST "$base/pipelines" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name": "every minute", "steps": [{"key": "w", "type": "wait", "config": {"seconds": 0}}],
    "schedule": {"cron": "* * * * *", "timezone": "UTC", "concurrency_policy": "allow"}}') \
  || die "creating the pipeline failed (curl exit $?)"
[ "$status" = 201 ] || die "creating the pipeline answered $status: $(head -c 400 "$results/pipeline.json")"
pipeline_id=$(jq -r .id "$results/pipeline.json")
# A csv connector without a file: each scheduled sync ends failed at once, which is all this needs to count.
status=$(api -o "$results/connector.json" -w '%{http_code}' -X POST "$base/connectors" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name": "every minute", "type": "csv", "config": {},
    "schedule": {"cron": "* * * * *", "timezone": "UTC"}}') || die "creating the connector failed (curl exit $?)"
[ "$status" = 201 ] || die "creating the connector answered $status: $(head -c 400 "$results/connector.json")"
connector_id=$(jq -r .id "$results/connector.json")

created=$(date -u +%s)
# Wait past the M-th minute boundary after creation, plus a few seconds for both replicas' ticks.
target=$(( (created / 60 + minutes) * 60 + 5 ))
log "waiting $((target - created)) s for $minutes minute boundaries"
sleep $((target - created))

db() { psql -h 127.0.0.1 -U postgres -d "$database" -v ON_ERROR_STOP=1 -qtAX -F ' ' "$@"; }
pipeline_fires=$(db -c "select count(*) from pipeline_schedule_fires where pipeline_id = '$pipeline_id'")
pipeline_runs=$(db -c "select count(*) from pipeline_runs where pipeline_id = '$pipeline_id' and trigger = 'scheduled'")
pipeline_distinct=$(db -c "select count(distinct fire_time) from pipeline_runs where pipeline_id = '$pipeline_id' and trigger = 'scheduled'")
connector_fires=$(db -c "select count(*) from schedule_fires where connector_id = '$connector_id'")
connector_runs=$(db -c "select count(*) from connector_runs where connector_id = '$connector_id' and trigger = 'scheduled'")
db -c "select fire_time, count(*) from pipeline_runs where pipeline_id = '$pipeline_id' and trigger = 'scheduled' group by fire_time order by 1" > "$results/pipeline-fires.txt"
fired_a=$(grep -c 'Fired' "$run_dir_a/server.log" || true)
fired_b=$(grep -c 'Fired' "$run_dir_b/server.log" || true)

printf '   %-10s %8s %6s %15s\n' schedule fires runs "distinct times" >&2
printf '   %-10s %8s %6s %15s\n' pipeline "$pipeline_fires" "$pipeline_runs" "$pipeline_distinct"
printf '   %-10s %8s %6s %15s\n' connector "$connector_fires" "$connector_runs" "-"
echo "   minute boundaries waited for: $minutes; \"Fired\" log lines: a $fired_a, b $fired_b"
sed 's/^/   fire /' "$results/pipeline-fires.txt"

ok=true
[ "$pipeline_runs" = "$minutes" ] && [ "$pipeline_fires" = "$minutes" ] && [ "$pipeline_distinct" = "$minutes" ] || ok=false
[ "$connector_runs" = "$minutes" ] && [ "$connector_fires" = "$minutes" ] || ok=false
if $ok; then
  echo "   result: every fire started exactly one run"
else
  die "a fire started no run or more than one (see $results)"
fi
