#!/usr/bin/env bash
# Builds the server from a private copy of this work tree and starts the packaged (prod profile) jar in the
# background on benchmark ports, with throw-away TLS, token and encryption keys and rate limits raised far above
# what one machine can send. Returns once the readiness check answers UP.
#
# Knobs: BENCH_BUILD_DIR (copy of the tree, default /tmp/rime-bench-build), BENCH_RUN_DIR (keys, log, PID file,
# default /tmp/rime-bench-run), BENCH_JAVA_OPTS (extra JVM flags, e.g. -Xmx512m), BENCH_DATABASE (default rime_bench;
# give a run of another branch its own, since a database holds one branch's migrations). RIME_* variables the caller
# exports and this script does not set (e.g. RIME_DATA_DIR) reach the server unchanged.
# A second instance beside the first (another replica on the same database): BENCH_PORT_OFFSET (added to the three
# ports, default 0) and BENCH_SHARE_FROM (the BENCH_RUN_DIR of the running first instance). With BENCH_SHARE_FROM the
# tree is neither copied nor built, since the first instance runs from that jar, and its keys are reused: a token,
# a cursor or a stored secret made by one instance must be readable by the other. Give each its own BENCH_RUN_DIR.
# Stop it with: kill "$(cat "${BENCH_RUN_DIR:-/tmp/rime-bench-run}/server.pid")"
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="${BENCH_BUILD_DIR:-/tmp/rime-bench-build}"
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
pid_file="$run_dir/server.pid"
log_file="$run_dir/server.log"
share_from="${BENCH_SHARE_FROM:-}"
port_offset="${BENCH_PORT_OFFSET:-0}"
case "$port_offset" in ''|*[!0-9]*) echo "start-server: BENCH_PORT_OFFSET must be a whole number" >&2; exit 1 ;; esac
[ "$port_offset" -le 1000 ] || { echo "start-server: BENCH_PORT_OFFSET must be at most 1000" >&2; exit 1; }
http_port=$((18080 + port_offset))
https_port=$((18443 + port_offset))
management_port=$((19000 + port_offset))
ready_url="http://localhost:$management_port/q/health/ready"

log() { echo "start-server: $*" >&2; }

mkdir -p "$run_dir"
if [ -n "$share_from" ]; then
  [ "$(cd "$share_from" 2>/dev/null && pwd)" != "$(cd "$run_dir" && pwd)" ] \
    || { log "BENCH_SHARE_FROM must name another instance's run directory, not this one's ($run_dir)"; exit 1; }
  for f in keys/tls.p12 keys/jwt-signing.pem keys/jwt-verify.pem keys/cursor-key keys/secret-keys build-commit.txt; do
    [ -f "$share_from/$f" ] || { log "BENCH_SHARE_FROM=$share_from has no $f; start the first instance with this script"; exit 1; }
  done
fi

# A second server on the same ports would fail late and confusingly (bind error after a full build).
if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  log "a benchmark server is already running (PID $(cat "$pid_file")); stop it first"
  exit 1
fi
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$management_port/" 2>/dev/null; then
  log "port $management_port is already in use; stop whatever listens there first"
  exit 1
fi

if [ -n "$share_from" ]; then
  [ -f "$build_dir/target/quarkus-app/quarkus-run.jar" ] \
    || { log "no $build_dir/target/quarkus-app/quarkus-run.jar to share; use the first instance's BENCH_BUILD_DIR"; exit 1; }
  cp "$share_from/build-commit.txt" "$run_dir/build-commit.txt"
  cd "$build_dir"
  log "reusing the build in $build_dir: $(cat "$run_dir/build-commit.txt")"
else
  # The developer's target/ and .dev/ stay untouched: the build happens in a copy that mirrors the current tree.
  log "copying $repo_root to $build_dir"
  mkdir -p "$build_dir"
  rsync -a --delete --exclude target --exclude .dev "$repo_root/" "$build_dir/"

  cd "$build_dir"
  log "building (mvnw package, tests skipped)"
  if ! ./mvnw -B -q -o package -DskipTests; then
    # Offline fails only when a dependency is not in ~/.m2 yet; one online attempt fetches it.
    log "offline build failed; retrying with repository access"
    ./mvnw -B -q package -DskipTests
  fi
  [ -f target/quarkus-app/quarkus-run.jar ] || { log "build produced no target/quarkus-app/quarkus-run.jar"; exit 1; }
  # The tree is edited while benchmarks run, so the commit alone does not say what was measured: keep both.
  if git -C "$build_dir" rev-parse --short HEAD >/dev/null 2>&1; then
    echo "$(git -C "$build_dir" rev-parse --short HEAD) ($(git -C "$build_dir" status --porcelain | wc -l | tr -d ' ') uncommitted paths)" \
      > "$run_dir/build-commit.txt"
  else
    echo "unknown (no git metadata)" > "$run_dir/build-commit.txt"
  fi
  log "built $(cat "$run_dir/build-commit.txt")"
fi

# The java on PATH may be older than the release the code is compiled for (21), so pick the JDK the same way
# mvnw does: JAVA_HOME when it is 21+, otherwise the newest JDK under /usr/lib/jvm.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1; }
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java_bin="${java_bin:-$(command -v java || true)}"
if [ -z "$java_bin" ] || [ "$(java_major "$java_bin" 2>/dev/null || echo 0)" -lt 21 ]; then
  java_bin=""; best_major=0
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate" 2>/dev/null || echo 0)
    if [ "${major:-0}" -gt "$best_major" ]; then java_bin="$candidate"; best_major=$major; fi
  done
  [ "$best_major" -ge 21 ] || { log "a JDK 21 or newer is required (set JAVA_HOME)"; exit 1; }
fi
log "using $java_bin ($("$java_bin" -version 2>&1 | head -n 1))"

# Fresh keys on every start: nothing secret outlives a benchmark run. They are kept as files (owner-only) so that
# a second instance started with BENCH_SHARE_FROM can use the same ones.
keys="$run_dir/keys"
rm -rf "$keys"
if [ -n "$share_from" ]; then
  cp -a "$share_from/keys" "$keys"
else
  mkdir -p "$keys"
  chmod 700 "$keys"
  keytool -genkeypair -alias rime -keyalg EC -groupname secp256r1 -validity 30 -dname "CN=localhost" \
    -ext "SAN=dns:localhost,dns:*.localhost,ip:127.0.0.1" -storetype PKCS12 -keystore "$keys/tls.p12" \
    -storepass bench-changeit >/dev/null 2>&1
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-signing.pem" 2>/dev/null
  openssl pkey -in "$keys/jwt-signing.pem" -pubout -out "$keys/jwt-verify.pem"
  (umask 077; openssl rand -base64 32 > "$keys/cursor-key"; echo "k1:$(openssl rand -base64 32)" > "$keys/secret-keys")
fi

# PostgreSQL and Redis must answer before the server's start-up migrations run.
"$repo_root/deployment/local/services.sh"
database="${BENCH_DATABASE:-rime_bench}"
case "$database" in ''|*[!a-z0-9_]*) log "BENCH_DATABASE must be lower-case letters, digits and _"; exit 1 ;; esac
"$repo_root/deployment/local/create-database.sh" "$database"

export QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_FILE="$keys/tls.p12"
export QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD=bench-changeit
export SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/jwt-signing.pem"
export MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/jwt-verify.pem"
RIME_CURSOR_KEY=$(cat "$keys/cursor-key")
RIME_SECRET_KEYS=$(cat "$keys/secret-keys")
export RIME_CURSOR_KEY RIME_SECRET_KEYS
export RIME_BASE_DOMAIN=localhost
export RIME_PLATFORM_OPERATOR_TOKEN=bench-operator-token-for-local-benchmarks
# the local roles of deployment/local/roles.sql (create-database.sh made them): the server as rime_app, Flyway as
# rime_owner, exactly as in production
export RIME_DB_USER=rime_app RIME_DB_PASSWORD=rime-app-local
export RIME_DB_MIGRATION_USER=rime_owner RIME_DB_MIGRATION_PASSWORD=rime-owner-local
export RIME_DB_REACTIVE_URL=postgresql://127.0.0.1:5432/$database
export RIME_DB_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$database
export RIME_HTTP_PORT=$http_port RIME_HTTPS_PORT=$https_port RIME_MANAGEMENT_PORT=$management_port

# The limiter still runs (one Redis script call per request); only its buckets are made too large to ever
# empty, so the figures describe the server rather than the configured quotas. Capacity is an int scaled by up
# to 10x per tier, so 1e8 keeps well inside its range.
big_capacity=100000000
big_refill=10000000
for class in READ WRITE ACTION LOGIN; do
  export "RIME_PLATFORM_RATE_LIMITS_CLASSES_${class}_CAPACITY=$big_capacity"
  export "RIME_PLATFORM_RATE_LIMITS_CLASSES_${class}_REFILL_PER_SECOND=$big_refill"
done
export RIME_PLATFORM_RATE_LIMITS_PER_IP_CAPACITY=$big_capacity
export RIME_PLATFORM_RATE_LIMITS_PER_IP_REFILL_PER_SECOND=$big_refill

log "starting the server (log: $log_file)"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of flags on purpose
nohup "$java_bin" ${BENCH_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$log_file" 2>&1 </dev/null &
pid=$!
echo "$pid" > "$pid_file"

# BENCH_START_TIMEOUT (seconds, default 120): a machine shared with other builds can need longer
start_timeout="${BENCH_START_TIMEOUT:-120}"
case "$start_timeout" in ''|*[!0-9]*) log "BENCH_START_TIMEOUT must be a whole number of seconds"; exit 1 ;; esac
deadline=$((SECONDS + start_timeout))
# The management interface can report UP a moment before the HTTPS listener accepts connections, so both are
# required; any HTTP status from the API port (a 404 for the bare address is fine) proves it is listening.
api_listening() {
  [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "https://127.0.0.1:$https_port/" 2>/dev/null)" != 000 ]
}
until curl -s --max-time 2 "$ready_url" 2>/dev/null | jq -e '.status == "UP"' >/dev/null 2>&1 && api_listening; do
  if ! kill -0 "$pid" 2>/dev/null; then
    log "the server exited during start-up; last lines of $log_file:"
    tail -n 40 "$log_file" >&2
    rm -f "$pid_file"
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "not ready after $start_timeout s; stopping PID $pid. Last lines of $log_file:"
    tail -n 40 "$log_file" >&2
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    exit 1
  fi
  sleep 1
done
log "ready: PID $pid, https://*.localhost:$https_port/api/v1, $ready_url"
