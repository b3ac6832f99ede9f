#!/usr/bin/env bash
# Throughput and memory of a PostgreSQL sync: copies tables of ROWS rows from a local source database to staged
# NDJSON through the API, one sync per table within one server lifetime, and reports rows/s, the peak heap and the
# peak RSS of each. The source is a customer PostgreSQL of its own (deployment/local/customer-db.sh on port
# BENCH_SOURCE_PG_PORT, default 55433, cluster kept under $BENCH_RUN_DIR/source-pg), never the platform's. The extractor is meant to stream (server-side cursor, a batch at a time), so the peak heap of a
# table ten times larger should stay about the same; a fixed -Xmx makes a leak show up as growth or as a failure.
# Prints a compact summary; raw outputs are kept under $BENCH_RUN_DIR/sync-<time>/.
#
# Knobs: ROWS (space-separated row counts, one table and one sync each; default "100000 1000000"), BENCH_HEAP
# (max heap of the server this script starts, default 512m), SYNC_TIMEOUT (seconds one sync may take, default 600),
# BENCH_URL (a server that is already running, e.g. https://127.0.0.1:18443; otherwise start-server.sh builds and
# starts one and this script stops it on exit). With BENCH_URL: BENCH_OPERATOR_TOKEN (default bench-operator-token-for-local-benchmarks),
# BENCH_METRICS_URL (its Prometheus page), BENCH_SERVER_PID (for RSS and the forced GC) and BENCH_DATA_DIR (its
# RIME_DATA_DIR, to check and remove the staged files) describe it. LIVE_CHECK=1 also takes a class histogram of the
# live heap (a full GC) once a sync is half-way: it tells data the sync still holds from garbage not yet collected,
# at the price of one pause inside the measured time, so it is off by default. WARMUP (default 1) is the number of
# syncs of the first ROWS table run before the measured ones: the first sync in a fresh JVM runs before the JIT has
# compiled the extraction path (two to three times slower for 100k rows here), which would make the small table
# look slow.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
export BENCH_RUN_DIR="$run_dir"
rows_list="${ROWS:-100000 1000000}"
heap="${BENCH_HEAP:-512m}"
sync_timeout="${SYNC_TIMEOUT:-600}"
live_check="${LIVE_CHECK:-0}"
warmup="${WARMUP:-1}"
operator_token="${BENCH_OPERATOR_TOKEN:-bench-operator-token-for-local-benchmarks}"
source_db=rime_bench_source
source_port="${BENCH_SOURCE_PG_PORT:-55433}"
source_dir="$run_dir/source-pg"
sample_interval=0.25

log() { echo "sync-postgres: $*" >&2; }
die() { log "$*"; exit 1; }

for n in $rows_list; do
  case "$n" in ''|*[!0-9]*) die "ROWS must be positive integers separated by spaces (got '$n')" ;; esac
  # Bounded on purpose: 10M rows is about 1.3 GB of NDJSON and minutes of work on this machine.
  [ "$n" -ge 1 ] && [ "$n" -le 10000000 ] || die "each ROWS value must be between 1 and 10000000"
done
[ -n "$rows_list" ] || die "ROWS is empty"
case "$sync_timeout" in ''|*[!0-9]*) die "SYNC_TIMEOUT must be whole seconds" ;; esac
[ "$sync_timeout" -ge 1 ] && [ "$sync_timeout" -le 3600 ] || die "SYNC_TIMEOUT must be between 1 s and 1 h"
case "$warmup" in ''|*[!0-9]*) die "WARMUP must be a whole number" ;; esac
[ "$warmup" -le 5 ] || die "WARMUP must be at most 5"
case "$heap" in *[!0-9kmgKMG]*|'') die "BENCH_HEAP must look like 512m or 1g" ;; esac

for tool in curl jq psql awk; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
case "$source_port" in ''|*[!0-9]*) die "BENCH_SOURCE_PG_PORT must be a port number" ;; esac

# The table name says its size, so a reused table is recognisable in psql and in the connector list.
suffix() {
  local n=$1
  if [ $((n % 1000000)) -eq 0 ]; then echo "$((n / 1000000))m"
  elif [ $((n % 1000)) -eq 0 ]; then echo "$((n / 1000))k"
  else echo "$n"; fi
}
# A reading of 0 means the server did not answer (a live JVM never has an empty heap), so it prints as n/a.
mib() { awk -v b="${1:-0}" 'BEGIN { if (b > 0) printf "%.1f", b / 1048576; else print "n/a" }'; }

started_pid=""
sampler_pid=""
started_source=""
owned_data_dir=""
tenant_staging=""
cleanup() {
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; fi
  # Only the server this script started is stopped, by its own PID.
  if [ -n "$started_pid" ] && kill -0 "$started_pid" 2>/dev/null; then
    log "stopping the server (PID $started_pid)"
    kill "$started_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$started_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$started_pid" 2>/dev/null || true
    rm -f "$run_dir/server.pid"
  fi
  # The staged files are hundreds of MB per million rows; nothing reads them after the line count.
  if [ -n "$tenant_staging" ] && [ -d "$tenant_staging" ]; then rm -rf "$tenant_staging"; fi
  if [ -n "$owned_data_dir" ] && [ -d "$owned_data_dir" ]; then rm -rf "$owned_data_dir"; fi
  if [ -n "$started_source" ]; then
    RIME_CUSTOMER_PG_PORT="$source_port" RIME_CUSTOMER_PG_DIR="$source_dir" "$repo_root/deployment/local/customer-db.sh" stop
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results="$run_dir/sync-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# ---- Source data: one table per size, kept between runs because filling 1M rows costs more than the sync -------
"$repo_root/deployment/local/services.sh"
started_source=1
RIME_CUSTOMER_PG_PORT="$source_port" RIME_CUSTOMER_PG_DIR="$source_dir" RIME_CUSTOMER_PG_KEEP=1 \
  "$repo_root/deployment/local/customer-db.sh" start
if ! psql -h 127.0.0.1 -p "$source_port" -U postgres -d postgres -tAc \
    "select 1 from pg_database where datname = '$source_db'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$source_port" -U postgres -d postgres -qc "create database $source_db"
fi
src() { psql -h 127.0.0.1 -p "$source_port" -U postgres -d "$source_db" -v ON_ERROR_STOP=1 -qtA "$@"; }
src -c "create schema if not exists bench"
for n in $rows_list; do
  table="rows_$(suffix "$n")"
  count=-1
  if [ -n "$(src -c "select to_regclass('bench.$table')")" ]; then
    count=$(src -c "select count(*) from bench.$table")
  fi
  if [ "$count" = "$n" ]; then
    log "reusing bench.$table ($n rows)"
    continue
  fi
  log "filling bench.$table with $n rows"
  src <<SQL
drop table if exists bench.$table;
create table bench.$table (id bigint primary key, amount numeric(12,2), label text, created_at timestamptz);
insert into bench.$table
  select g, round((g % 100000) * 1.37, 2), 'label ' || md5(g::text),
         timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
  from generate_series(1, $n) g;
analyze bench.$table;
SQL
done

# ---- Server -------------------------------------------------------------------------------------------------
if [ -n "${BENCH_URL:-}" ]; then
  base_url="${BENCH_URL%/}"
  metrics_url="${BENCH_METRICS_URL:-}"
  server_pid="${BENCH_SERVER_PID:-}"
  data_dir="${BENCH_DATA_DIR:-}"
else
  # A private data directory: the staged files of this run, and nothing else, are removed on exit.
  data_dir="${BENCH_DATA_DIR:-$run_dir/sync-data}"
  [ -n "${BENCH_DATA_DIR:-}" ] || owned_data_dir="$data_dir"
  mkdir -p "$data_dir"
  export RIME_DATA_DIR="$data_dir"
  # A fixed ceiling, so a table held in memory shows up as a larger peak or an OutOfMemoryError.
  export BENCH_JAVA_OPTS="-Xmx$heap ${BENCH_JAVA_OPTS:-}"
  "$bench_dir/start-server.sh"
  started_pid=$(cat "$run_dir/server.pid")
  server_pid=$started_pid
  base_url="https://127.0.0.1:18443"
  metrics_url="${BENCH_METRICS_URL:-http://localhost:19000/q/metrics}"
fi

# Traffic goes to this machine only.
case "$base_url" in
  https://127.*:[0-9]*|https://localhost:[0-9]*) ;;
  *) die "BENCH_URL must be https://127.0.0.1:PORT or https://localhost:PORT (got $base_url)" ;;
esac
case "$metrics_url" in
  ''|http://127.*:[0-9]*/*|http://localhost:[0-9]*/*) ;;
  *) die "BENCH_METRICS_URL must be on 127.0.0.1 or localhost (got $metrics_url)" ;;
esac
port=${base_url##*:}
address=${base_url#https://}; address=${address%:*}
[ "$address" = localhost ] && address=127.0.0.1

# The server's own jcmd attaches reliably; the one on PATH may be an older JDK.
jcmd_bin=""
if [ -n "$server_pid" ] && [ -r "/proc/$server_pid/exe" ]; then
  candidate="$(dirname "$(readlink -f "/proc/$server_pid/exe")")/jcmd"
  [ -x "$candidate" ] && jcmd_bin=$candidate
fi
if [ -n "$server_pid" ] && [ -z "$jcmd_bin" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd ]; then
  jcmd_bin=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd
fi
jvm_flags="n/a (no PID)"
if [ -n "$jcmd_bin" ]; then
  "$jcmd_bin" "$server_pid" VM.flags > "$results/vm-flags.txt" 2>&1 || true
  jvm_flags=$(tr ' ' '\n' < "$results/vm-flags.txt" | grep -E '^-XX:(MaxHeapSize|\+Use[A-Za-z0-9]*GC)=?' | tr '\n' ' ' || true)
fi

# ---- Fixture: a fresh tenant, its admin's token, one project --------------------------------------------------
source "$(dirname "$0")/fixture.sh"
bench_fixture bench-sync
tenant_id=$(jq -r '.id // .tenant.id // empty' "$results/tenant.json")
if [ -n "$data_dir" ] && [ -n "$tenant_id" ]; then tenant_staging="$data_dir/staging/$tenant_id"; fi
log "tenant $subdomain, project $project_id"

# ---- Measuring ------------------------------------------------------------------------------------------------
heap_now() {  # prints "<heap used> <old gen used>" in bytes, summed over the pools of the Prometheus page
  [ -n "$metrics_url" ] || { echo "0 0"; return; }
  curl -s --max-time 2 "$metrics_url" 2>/dev/null | awk '
    /^jvm_memory_used_bytes\{/ && /area="heap"/ { heap += $NF; if ($0 ~ /Old Gen|Tenured/) old += $NF }
    END { printf "%.0f %.0f\n", heap, old }' || true
}
cpu_ticks() {  # user + system CPU of the server in clock ticks, 0 when unknown
  [ -n "$server_pid" ] || { echo 0; return; }
  # The command name in field 2 may contain spaces; the fields after the closing parenthesis do not.
  sed 's/^.*) //' "/proc/$server_pid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0
}
gc_pause_seconds() {  # total GC pause time the server has reported so far
  [ -n "$metrics_url" ] || return 0
  local page
  page=$(curl -sf --max-time 2 "$metrics_url" 2>/dev/null) || return 0
  awk '/^jvm_gc_pause_seconds_sum\{/ { t += $NF } END { printf "%.3f\n", t }' <<< "$page"
}
proc_kb() {  # proc_kb FIELD: VmRSS or VmHWM of the server in kB, 0 when unknown
  [ -n "$server_pid" ] || { echo 0; return; }
  awk -v f="$1:" '$1 == f { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$server_pid/status" 2>/dev/null || echo 0
}
# Both peaks start from the same settled heap, so the first sync does not inherit the fixture's garbage and the
# second does not inherit the first's.
forced_gc="no (no server PID or jcmd)"
settle() {
  if [ -n "$jcmd_bin" ] && timeout 60 "$jcmd_bin" "$server_pid" GC.run >/dev/null 2>&1; then
    forced_gc="yes (jcmd GC.run before and after each sync)"
    sleep 1
  fi
}
# Peak RSS per sync: writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0, same user).
reset_hwm() {
  [ -n "$server_pid" ] && { echo 5 > "/proc/$server_pid/clear_refs"; } 2>/dev/null
}
sampler() {  # sampler FILE: "epoch_ms heap old_gen rss_kb" every $sample_interval s until killed
  set +e
  while :; do
    echo "$(date +%s%3N) $(heap_now) $(proc_kb VmRSS)" >> "$1"
    sleep "$sample_interval"
  done
}

failures=()
summary=()
settle
read -r heap_start _ < <(heap_now)
# Warm-up entries are marked with a leading w; they are checked like the others but reported apart.
plan=""
for _ in $(seq 1 "$warmup"); do plan="$plan w${rows_list%% *}"; done
plan="$plan $rows_list"
index=0
first_old="" last_old="" measured=0
for entry in $plan; do
  index=$((index + 1))
  n=${entry#w}
  kind=measured
  [ "$entry" = "$n" ] || kind=warm-up
  table="bench.rows_$(suffix "$n")"
  tag="rows_$(suffix "$n")-$index"

  body=$(jq -nc --arg name "bench $tag" --arg db "$source_db" --arg table "$table" --argjson port "$source_port" \
    '{name: $name, type: "postgresql", tables: [{name: $table}],
      config: {host: "127.0.0.1", port: $port, database: $db, username: "postgres", password: "trust-auth-ignores-it",
               ssl_mode: "disable"}}')
  status=$(api -o "$results/connector-$tag.json" -w '%{http_code}' -X POST \
    "https://$tenant_host/api/v1/projects/$project_id/connectors" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "$body") || die "creating the connector for $table failed (curl exit $?)"
  [ "$status" = 201 ] || die "creating the connector for $table answered $status: $(cat "$results/connector-$tag.json")"
  connector_id=$(jq -r '.id // empty' "$results/connector-$tag.json")
  run_base="https://$tenant_host/api/v1/projects/$project_id/connectors/$connector_id"

  settle
  read -r heap_before _ < <(heap_now)
  hwm_note="peak since the sync started"
  reset_hwm || hwm_note="VmHWM could not be reset: peak since the server started"
  : > "$results/samples-$tag.txt"
  sampler "$results/samples-$tag.txt" &
  sampler_pid=$!

  cpu_before=$(cpu_ticks)
  gc_before=$(gc_pause_seconds)
  log "syncing $table ($n rows, $kind)"
  started_ms=$(date +%s%3N)
  status=$(api -o "$results/sync-$tag.json" -w '%{http_code}' -X POST "$run_base/sync" -H "Authorization: Bearer $token") \
    || die "starting the sync of $table failed (curl exit $?)"
  [ "$status" = 202 ] || die "starting the sync of $table answered $status: $(cat "$results/sync-$tag.json")"
  run_id=$(jq -r '.id // empty' "$results/sync-$tag.json")
  [ -n "$run_id" ] || die "the sync response has no id"

  deadline=$((SECONDS + sync_timeout))
  run_status=running
  live_line=""
  while [ "$run_status" = running ]; do
    sleep "$sample_interval"
    # A failed poll (timeout under load) is retried until the deadline rather than ending the benchmark.
    api -o "$results/run-$tag.json" "$run_base/runs/$run_id" -H "Authorization: Bearer $token" 2>/dev/null || true
    run_status=$(jq -r '.status // "running"' "$results/run-$tag.json" 2>/dev/null || echo running)
    if [ "$live_check" = 1 ] && [ -z "$live_line" ] && [ -n "$jcmd_bin" ] && [ "$run_status" = running ] \
      && [ $(( $(jq -r '.total_rows // 0' "$results/run-$tag.json" 2>/dev/null || echo 0) * 2 )) -ge "$n" ]; then
      timeout 60 "$jcmd_bin" "$server_pid" GC.class_histogram > "$results/histogram-$tag.txt" 2>&1 || true
      live_line=$(awk '
        $1 ~ /^[0-9]+:$/ && NF >= 4 && n < 3 { top = top sep $4 " " sprintf("%.1f", $3 / 1048576) " MiB"; sep = ", "; n++ }
        $1 == "Total" { total = $3 }
        END { printf "%.1f MiB live (top: %s)", total / 1048576, top }' "$results/histogram-$tag.txt")
      log "$table: half-way, $live_line"
    fi
    if [ "$SECONDS" -ge "$deadline" ] && [ "$run_status" = running ]; then
      log "$table: still running after ${sync_timeout}s; cancelling it"
      api -o /dev/null -X POST "$run_base/runs/$run_id/cancel" -H "Authorization: Bearer $token" || true
      run_status="timed out"
    fi
    # A server that died mid-sync would otherwise be polled until the deadline.
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
      run_status="server exited"
    fi
  done
  wall_ms=$(( $(date +%s%3N) - started_ms ))
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
  hwm_kb=$(proc_kb VmHWM)
  cpu_s=$(awk -v a="$cpu_before" -v b="$(cpu_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }')
  gc_s=$(awk -v a="$gc_before" -v b="$(gc_pause_seconds)" 'BEGIN { if (a != "" && b != "") printf "%.2f", b - a; else print "n/a" }')

  duration_ms=$(jq -r '.duration_ms // 0' "$results/run-$tag.json" 2>/dev/null || echo 0)
  total_rows=$(jq -r '.total_rows // 0' "$results/run-$tag.json" 2>/dev/null || echo 0)
  extracted=$(jq -r '.table_results[0].rows_extracted // 0' "$results/run-$tag.json" 2>/dev/null || echo 0)
  read -r peak_heap peak_old peak_rss_kb samples < <(awk '
    { if ($2 > h) h = $2; if ($3 > o) o = $3; if ($4 > r) r = $4; n++ }
    END { printf "%.0f %.0f %.0f %d\n", h, o, r, n }' "$results/samples-$tag.txt")

  staged=""
  staged_bytes=""
  lines="n/a"
  if [ -n "$data_dir" ] && [ -d "$data_dir/staging" ]; then
    staged=$(find "$data_dir/staging" -path "*/$run_id/$table.ndjson" -print -quit 2>/dev/null || true)
    if [ -n "$staged" ]; then
      lines=$(wc -l < "$staged" | tr -d ' ')
      staged_bytes=$(stat -c %s "$staged")
      # The tenant's staging folder is removed on exit even if the tenant id was not in the response.
      tenant_staging=$(dirname "$(dirname "$(dirname "$staged")")")
      rm -rf "$(dirname "$staged")"
    else
      lines="missing"
    fi
  fi

  [ "$run_status" = completed ] || failures+=("$table: run status $run_status ($(jq -c '{error, table_results}' "$results/run-$tag.json" 2>/dev/null))")
  [ "$total_rows" = "$n" ] && [ "$extracted" = "$n" ] || failures+=("$table: total_rows $total_rows, rows_extracted $extracted, expected $n")
  [ "$lines" = "$n" ] || [ -z "$data_dir" ] || failures+=("$table: staged file has $lines lines, expected $n")

  settle
  read -r heap_after _ < <(heap_now)
  rate=$(awk -v r="$total_rows" -v ms="$duration_ms" 'BEGIN { if (ms > 0) printf "%.0f", r * 1000 / ms; else print "n/a" }')
  seconds=$(awk -v ms="$duration_ms" 'BEGIN { if (ms > 0) printf "%.2f", ms / 1000; else print "n/a" }')
  summary+=("$(printf '%-16s %9s %8s %9s %7s %6s %12s %10s %13s %13s %12s %10s %s' \
    "$table" "$total_rows" "$seconds" "$rate" "$cpu_s" "$gc_s" "$(mib "$peak_heap")" "$(mib "$peak_old")" \
    "$(mib "$heap_before")" "$(mib "$heap_after")" "$(mib $((peak_rss_kb * 1024)))" "$(mib $((hwm_kb * 1024)))" \
    "$run_status, $lines lines$([ "$kind" = measured ] || echo ", $kind")")")
  if [ "$kind" = measured ]; then
    measured=$((measured + 1))
    first_old=${first_old:-$peak_old}
    last_old=$peak_old
  fi
  [ -z "$live_line" ] || summary+=("  half-way: $live_line")
  {
    echo "table=$table kind=$kind rows=$n run=$run_id status=$run_status duration_ms=$duration_ms wall_ms=$wall_ms"
    echo "  server_cpu_s=$cpu_s gc_pause_s=$gc_s"
    echo "  peak_heap=$peak_heap peak_old_gen=$peak_old heap_before=$heap_before heap_after=$heap_after"
    echo "  peak_rss_kb=$peak_rss_kb vmhwm_kb=$hwm_kb ($hwm_note) samples=$samples staged_lines=$lines staged_bytes=${staged_bytes:-n/a}"
  } >> "$results/summary.txt"
  log "$table ($kind): $run_status, $total_rows rows in ${seconds}s (wall ${wall_ms} ms), peak heap $(mib "$peak_heap") MiB"
done

ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"
others="none seen"
if grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt"; then
  others="Maven/Surefire processes were running (see processes-*.txt)"
fi
built_from="n/a (server not started here)"
server_log_line="n/a (server not started here)"
if [ -n "$started_pid" ]; then
  built_from=$(cat "$run_dir/build-commit.txt" 2>/dev/null || echo unknown)
  cp "$run_dir/server.log" "$results/server.log" 2>/dev/null || true
  errors=$(grep -c '"level":"ERROR"' "$run_dir/server.log" || true)
  server_log_line="$errors ERROR, $(grep -c '"level":"WARN"' "$run_dir/server.log" || true) WARN lines"
  [ "$errors" = 0 ] || failures+=("server log has $errors ERROR lines, first: $(grep -m 3 '"level":"ERROR"' "$run_dir/server.log")")
  if grep -q 'OutOfMemoryError' "$run_dir/server.log"; then failures+=("server log mentions OutOfMemoryError"); fi
fi

cat <<SUMMARY

== PostgreSQL sync to staged NDJSON  (one connector and one sync per table, samples every ${sample_interval}s)
   rows/s = total_rows / duration_ms of the run. Heap from jvm_memory_used_bytes{area="heap"}; "before" and "after"
   are after a forced GC. RSS "peak" is the highest sampled VmRSS; VmHWM is the kernel's peak (reset per sync).
   cpu s is the server process's user+system CPU during the sync, gc s the GC pause time it reported.
   table                 rows  seconds    rows/s   cpu s   gc s  peak heap MiB old gen MiB  heap before   heap after  peak RSS MiB  VmHWM MiB  result
SUMMARY
for line in "${summary[@]}"; do echo "   $line"; done
cat <<SUMMARY
   old gen         peak of the last measured table / the first: $(awk -v a="${last_old:-0}" -v b="${first_old:-0}" -v m="$measured" \
                     'BEGIN { if (b > 0 && m > 1) printf "%.1fx", a / b; else print "n/a" }') (near 1x when nothing grows with the table)
   forced GC       $forced_gc
   heap at start   $(mib "$heap_start") MiB after GC; JVM: ${jvm_flags:-n/a}
   server log      $server_log_line
   server built    $built_from
   other work      $others
   load average    before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)
raw output: $results
SUMMARY

if [ "${#failures[@]}" -gt 0 ]; then
  for f in "${failures[@]}"; do log "FAILED: $f"; done
  if [ -n "$started_pid" ]; then
    log "last lines of the server log:"
    tail -n 30 "$run_dir/server.log" >&2
  fi
  exit 1
fi
