#!/usr/bin/env bash
# Start-up time and memory of the packaged server, with and without the JDK's AOT cache (JEP 483/514/515).
#
# For each variant it starts the server STARTS times (through start-server.sh, so with the same keys, database and
# flags as the other benchmarks) and measures, from the moment the java process was created (its start time in
# /proc/<pid>/stat):
#   - ready: until the management port's readiness check first answers 200 (UP);
#   - api:   until the first 200 of an authenticated GET /api/v1/projects on the HTTPS port (TLS, tenant lookup,
#            JWT, rate limiter and a PostgreSQL read: the first request a client could get served);
#   - the CPU time (user + system, all threads) the process had used by that first 200: on a busy machine the wall
#     times stretch with the wait for a CPU, this figure much less, so it is the one to compare between variants;
#   - VmRSS of the process at that first 200, and again SETTLE seconds later;
#   - Quarkus' own "started in" figure from the log, and how long the process took to exit after SIGTERM.
# Two pollers (curl every 50 ms, one per figure) take the times on the same clock as the process start time
# (/proc/uptime, 10 ms resolution), so a figure can be up to ~60 ms late.
#
# Variants (VARIANTS, run round-robin so that a busy moment on the machine spreads over all of them):
#   fast-jar   the default packaging (what `./mvnw package` produces today), default JVM flags;
#   aot-cache  the aot-jar packaging with the AOT cache Quarkus writes during packaging
#              (quarkus.package.jar.aot.enabled=true, type aot, phase build), started with
#              -XX:AOTCache=<quarkus-app>/app.aot -XX:AOTMode=on, so a cache the JVM cannot use fails the start
#              instead of being silently ignored;
#   aot-jar    the same aot-jar build without the cache: what that packaging costs when the flag is forgotten.
# The AOT build's training run is Quarkus' own: it starts the packaged application with
# -Dquarkus.appcds.generate=true, which stops after static initialisation, so it needs neither PostgreSQL, Redis
# nor keys. Each build happens in its own copy of the tree (start-server.sh), never in the work tree.
#
# Knobs: STARTS (default 5), VARIANTS (default "fast-jar aot-cache aot-jar"), SETTLE_SECONDS (default 5),
# BENCH_PORT_OFFSET (default 0; every start uses the same ports), BENCH_BUILD_DIR (fast-jar build; the AOT build
# goes to the same path with -aot appended), BENCH_RUN_DIR (keys and fixture; measured starts use <dir>-start,
# the AOT build's own start <dir>-aot-build), BENCH_JAVA_OPTS (added to every start), SKIP_BUILD=1 (reuse both
# builds as they are). Raw figures and every server log are kept under $BENCH_RUN_DIR/startup-<UTC time>/.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
starts="${STARTS:-5}"
variants="${VARIANTS:-fast-jar aot-cache aot-jar}"
settle="${SETTLE_SECONDS:-5}"
offset="${BENCH_PORT_OFFSET:-0}"
build_fast="${BENCH_BUILD_DIR:-/tmp/rime-bench-build}"
build_fast="${build_fast%/}"
build_aot="$build_fast-aot"
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
run_dir="${run_dir%/}"
start_dir="$run_dir-start"
aot_build_run_dir="$run_dir-aot-build"
extra_opts="${BENCH_JAVA_OPTS:-}"
operator_token=bench-operator-token-for-local-benchmarks
address=127.0.0.1
poll_interval=0.05
start_timeout=120

log() { echo "startup: $*" >&2; }
die() { log "$*"; exit 1; }

case "$starts" in ''|*[!0-9]*) die "STARTS must be a whole number" ;; esac
[ "$starts" -ge 1 ] && [ "$starts" -le 20 ] || die "STARTS must be between 1 and 20"
case "$settle" in ''|*[!0-9]*) die "SETTLE_SECONDS must be whole seconds" ;; esac
case "$offset" in ''|*[!0-9]*) die "BENCH_PORT_OFFSET must be a whole number" ;; esac
for v in $variants; do
  case "$v" in fast-jar|aot-cache|aot-jar) ;; *) die "unknown variant '$v' (fast-jar, aot-cache, aot-jar)" ;; esac
done
for tool in curl jq psql awk; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
port=$((18443 + offset))
management_port=$((19000 + offset))
[ "$(getconf CLK_TCK)" = 100 ] || die "this script assumes 100 clock ticks per second (getconf CLK_TCK)"

needs_aot=0
case " $variants " in *" aot-cache "*|*" aot-jar "*) needs_aot=1 ;; esac

server_pid=""
pollers=()
stop_pid() {  # stop_pid PID: SIGTERM, wait up to 40 s (shutdown delay + timeout), then SIGKILL
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 400); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  log "PID $1 still alive 40 s after SIGTERM; SIGKILL"
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  for p in "${pollers[@]}"; do kill "$p" 2>/dev/null || true; done
  # Only servers this script started are stopped, by their own PIDs.
  stop_pid "$server_pid"
  rm -f "$run_dir/server.pid" "$start_dir/server.pid" "$aot_build_run_dir/server.pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run_dir"
results="$run_dir/startup-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
date_started=$(date -u)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# ---- Builds ----------------------------------------------------------------------------------------------------
# The packaging is chosen through Quarkus' environment variables (read by the build like any configuration), set
# explicitly for both builds so that a packaging setting in application.properties cannot blur the comparison.
# start-server.sh builds and then starts the server; the first start also makes the keys and the fixture that
# every measured start shares.
fast_env=(QUARKUS_PACKAGE_JAR_TYPE=fast-jar QUARKUS_PACKAGE_JAR_AOT_ENABLED=false)
aot_env=(QUARKUS_PACKAGE_JAR_TYPE=aot-jar QUARKUS_PACKAGE_JAR_AOT_ENABLED=true QUARKUS_PACKAGE_JAR_AOT_TYPE=aot
  QUARKUS_PACKAGE_JAR_AOT_PHASE=build)

if [ "${SKIP_BUILD:-0}" = 1 ]; then
  # The builds and the keys of an earlier run are reused; the fixture's instance shares those keys.
  [ -f "$build_fast/target/quarkus-app/quarkus-run.jar" ] || die "SKIP_BUILD=1 but $build_fast has no build"
  [ -f "$run_dir/keys/tls.p12" ] || die "SKIP_BUILD=1 needs the keys of an earlier run in $run_dir/keys"
  [ "$needs_aot" = 0 ] || [ -f "$build_aot/target/quarkus-app/app.aot" ] || die "SKIP_BUILD=1 but $build_aot has no AOT build"
  [ ! -f "$aot_build_run_dir/build-commit.txt" ] || cp "$aot_build_run_dir/build-commit.txt" "$results/build-commit-aot.txt"
  fixture_run_dir="$start_dir"
  env "${fast_env[@]}" BENCH_BUILD_DIR="$build_fast" BENCH_RUN_DIR="$start_dir" BENCH_SHARE_FROM="$run_dir" \
    BENCH_PORT_OFFSET="$offset" "$bench_dir/start-server.sh" > "$results/build-fast.log" 2>&1 \
    || { tail -n 30 "$results/build-fast.log" >&2; die "the fast-jar start failed"; }
else
  if [ "$needs_aot" = 1 ]; then
    log "building the aot-jar variant with its AOT cache in $build_aot (start-server.sh; output in $results/build-aot.log)"
    env "${aot_env[@]}" BENCH_BUILD_DIR="$build_aot" BENCH_RUN_DIR="$aot_build_run_dir" BENCH_PORT_OFFSET="$offset" \
      "$bench_dir/start-server.sh" > "$results/build-aot.log" 2>&1 || { tail -n 30 "$results/build-aot.log" >&2; die "the AOT build or its start failed"; }
    server_pid=$(cat "$aot_build_run_dir/server.pid")
    stop_pid "$server_pid"; server_pid=""
    rm -f "$aot_build_run_dir/server.pid"
    cp "$aot_build_run_dir/build-commit.txt" "$results/build-commit-aot.txt"
  fi
  log "building the fast-jar variant in $build_fast (output in $results/build-fast.log)"
  fixture_run_dir="$run_dir"
  env "${fast_env[@]}" BENCH_BUILD_DIR="$build_fast" BENCH_RUN_DIR="$run_dir" BENCH_PORT_OFFSET="$offset" \
    "$bench_dir/start-server.sh" > "$results/build-fast.log" 2>&1 || { tail -n 30 "$results/build-fast.log" >&2; die "the fast-jar build or its start failed"; }
fi
server_pid=$(cat "$fixture_run_dir/server.pid")
cp "$run_dir/build-commit.txt" "$results/build-commit-fast.txt"
aot_cache="$build_aot/target/quarkus-app/app.aot"
[ "$needs_aot" = 0 ] || [ -f "$aot_cache" ] || die "the AOT build produced no $aot_cache (see $results/build-aot.log)"

# The token comes from the first instance; every measured start shares its keys, so it stays valid (1 h).
source "$bench_dir/fixture.sh"
bench_fixture bench-startup
log "tenant $subdomain, project $project_id"
stop_pid "$server_pid"; server_pid=""
rm -f "$fixture_run_dir/server.pid"

# ---- Measured starts --------------------------------------------------------------------------------------------
now_ms() { local up; read -r up _ < /proc/uptime; echo "${up/./}0"; }  # ms since boot, 10 ms resolution
started_ms() { local stat; stat=$(cat "/proc/$1/stat") || return 1; stat=${stat##*) }; set -- $stat; echo $(( ${20} * 10 )); }

poll_ready() {  # poll_ready OUT: the boot-clock ms of the first 200 from readiness
  local deadline=$((SECONDS + start_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$management_port/q/health/ready" 2>/dev/null)" = 200 ]; then
      now_ms > "$1"; return 0
    fi
    sleep "$poll_interval"
  done
}
poll_api() {  # poll_api OUT PIDFILE: ms of the first 200 of GET /projects, then CPU ms and RSS at that moment
  local deadline=$((SECONDS + start_timeout)) t pid
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 --resolve "$subdomain.localhost:$port:$address" \
        "https://$subdomain.localhost:$port/api/v1/projects?limit=1" -H "Authorization: Bearer $token" 2>/dev/null)" = 200 ]; then
      t=$(now_ms)
      pid=$(cat "$2" 2>/dev/null || true)
      echo "$t $(cpu_ms_of "$pid") $(rss_of "$pid")" > "$1"; return 0
    fi
    sleep "$poll_interval"
  done
}
cpu_ms_of() {  # user + system CPU of the process so far, in ms
  local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }; stat=${stat##*) }; set -- $stat
  echo $(( (${12} + ${13}) * 10 ))
}
rss_of() {  # "VmRSS RssAnon RssFile" in KiB
  awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { print r + 0, a + 0, f + 0 }' "/proc/$1/status" 2>/dev/null || echo "0 0 0"
}

echo "variant,start,ready_ms,api_ms,quarkus_started_s,rss_first_kib,rss_anon_first_kib,rss_file_first_kib,rss_settled_kib,stop_s,cpu_first_ms" > "$results/starts.csv"
mkdir -p "$start_dir"
for i in $(seq 1 "$starts"); do
  for v in $variants; do
    opts="$extra_opts"
    build="$build_aot"
    case "$v" in
      fast-jar) build="$build_fast" ;;
      aot-cache) opts="$opts -XX:AOTCache=$aot_cache -XX:AOTMode=on" ;;
    esac
    rm -f "$start_dir/server.pid" "$results/ready.tmp" "$results/api.tmp"
    poll_ready "$results/ready.tmp" & pollers=($!)
    poll_api "$results/api.tmp" "$start_dir/server.pid" & pollers+=($!)
    BENCH_BUILD_DIR="$build" BENCH_RUN_DIR="$start_dir" BENCH_SHARE_FROM="$run_dir" BENCH_PORT_OFFSET="$offset" \
      BENCH_JAVA_OPTS="$opts" "$bench_dir/start-server.sh" > "$results/start-$v-$i.log" 2>&1 \
      || { for p in "${pollers[@]}"; do kill "$p" 2>/dev/null || true; done; tail -n 20 "$results/start-$v-$i.log" >&2
           [ -f "$start_dir/server.log" ] && tail -n 20 "$start_dir/server.log" >&2; die "start $i of $v failed"; }
    server_pid=$(cat "$start_dir/server.pid")
    t0=$(started_ms "$server_pid")
    for p in "${pollers[@]}"; do wait "$p" || true; done
    pollers=()
    [ -s "$results/ready.tmp" ] && [ -s "$results/api.tmp" ] || die "start $i of $v: no readiness or API answer within ${start_timeout}s"
    ready=$(( $(cat "$results/ready.tmp") - t0 ))
    read -r api_t cpu_first rss_first rss_anon rss_file < "$results/api.tmp"
    api=$(( api_t - t0 ))
    sleep "$settle"
    read -r rss_settled _ < <(rss_of "$server_pid")
    started_in=$(grep -o 'started in [0-9.]*s' "$start_dir/server.log" | head -n 1 | tr -dc '0-9.')
    stop_begin=$(now_ms)
    stop_pid "$server_pid"
    stop_s=$(awk -v a="$stop_begin" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    server_pid=""
    cp "$start_dir/server.log" "$results/server-$v-$i.log"
    echo "$v,$i,$ready,$api,${started_in:-0},$rss_first,$rss_anon,$rss_file,$rss_settled,$stop_s,$cpu_first" >> "$results/starts.csv"
    log "$(printf '%-9s start %d: ready %5d ms, first 200 %5d ms (CPU %5d ms), Quarkus %5ss, RSS %4d MiB (settled %4d MiB), stop %4ss' \
      "$v" "$i" "$ready" "$api" "$cpu_first" "${started_in:-?}" $((rss_first / 1024)) $((rss_settled / 1024)) "$stop_s")"
  done
done
rm -f "$results/ready.tmp" "$results/api.tmp" "$start_dir/server.pid"
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"

# ---- Summary ----------------------------------------------------------------------------------------------------
others="none seen"
if grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt"; then
  others="Maven/Surefire processes were running (see processes-*.txt)"
fi
jdk=$(cat "$results"/start-*-1.log 2>/dev/null | sed -n 's/.*start-server: using //p' | head -n 1)
echo
echo "== Start-up: JVM process created -> readiness UP / first 200 of GET /api/v1/projects  ($starts starts per variant, round-robin)"
echo "   mean [min .. max]; RSS = VmRSS at the first 200, and ${settle}s later"
awk -F, 'NR > 1 {
    v = $1; n[v]++
    for (c = 3; c <= 11; c++) { x = $c + 0; s[v, c] += x; if (n[v] == 1 || x < lo[v, c]) lo[v, c] = x; if (n[v] == 1 || x > hi[v, c]) hi[v, c] = x }
    if (!(v in seen)) { seen[v] = 1; order[++k] = v }
  }
  function f(v, c, scale, fmt) { return sprintf(fmt " [" fmt " .. " fmt "]", s[v, c] / n[v] / scale, lo[v, c] / scale, hi[v, c] / scale) }
  END {
    printf "   %-10s %-22s %-22s %-22s %-22s %-18s %-18s %s\n", "variant", "ready ms", "first 200 ms", "CPU ms at first 200", "Quarkus started in s", "RSS MiB", "RSS settled MiB", "stop s"
    for (i = 1; i <= k; i++) { v = order[i]
      printf "   %-10s %-22s %-22s %-22s %-22s %-18s %-18s %s\n", v, f(v, 3, 1, "%.0f"), f(v, 4, 1, "%.0f"), f(v, 11, 1, "%.0f"),
        f(v, 5, 1, "%.2f"), f(v, 6, 1024, "%.0f"), f(v, 9, 1024, "%.0f"), f(v, 10, 1, "%.1f")
    }
    if (("fast-jar", 3) in s && ("aot-cache", 3) in s) {
      printf "   aot-cache vs fast-jar (means): ready %+.0f%%, first 200 %+.0f%%, CPU %+.0f%%, RSS %+.0f%%\n",
        100 * (s["aot-cache", 3] / n["aot-cache"]) / (s["fast-jar", 3] / n["fast-jar"]) - 100,
        100 * (s["aot-cache", 4] / n["aot-cache"]) / (s["fast-jar", 4] / n["fast-jar"]) - 100,
        100 * (s["aot-cache", 11] / n["aot-cache"]) / (s["fast-jar", 11] / n["fast-jar"]) - 100,
        100 * (s["aot-cache", 6] / n["aot-cache"]) / (s["fast-jar", 6] / n["fast-jar"]) - 100
    }
  }' "$results/starts.csv"
if [ "$needs_aot" = 1 ]; then
  echo "   AOT cache       $aot_cache ($(du -m "$aot_cache" | cut -f1) MiB, written $(date -u -r "$aot_cache" '+%H:%M:%S UTC'))"
fi
cat <<SUMMARY
   server built    fast-jar $(cat "$results/build-commit-fast.txt")$( [ "$needs_aot" = 1 ] && [ -f "$results/build-commit-aot.txt" ] && echo "; aot $(cat "$results/build-commit-aot.txt")")
   JDK             ${jdk:-see start-*.log}
   JVM flags       ${extra_opts:-default}
   machine         $(nproc) CPUs, $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available", $2, $7 }'); started $date_started
   other work      $others
raw output: $results (starts.csv, server-<variant>-<n>.log, build-*.log)
SUMMARY
