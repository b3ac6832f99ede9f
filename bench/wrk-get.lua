-- wrk script for GET /api/v1/projects/{id}. The URL wrk is given points at 127.0.0.1 (wrk has no --resolve),
-- so the tenant is chosen by the Host header, the way the server routes tenants.
-- Inputs come from the environment so no token is written to disk: BENCH_TOKEN, BENCH_HOST.

local token = os.getenv("BENCH_TOKEN")
local host = os.getenv("BENCH_HOST")
if not token or token == "" or not host or host == "" then
  error("BENCH_TOKEN and BENCH_HOST must be set")
end

wrk.method = "GET"
wrk.headers["Host"] = host
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

-- A summary with fixed keys, so the calling script can read figures without parsing wrk's human output.
-- Latencies are in microseconds inside wrk; they are printed in milliseconds.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format("BENCH requests=%d\n", summary.requests))
  io.write(string.format("BENCH seconds=%.2f\n", seconds))
  io.write(string.format("BENCH rps=%.1f\n", summary.requests / seconds))
  io.write(string.format("BENCH p50_ms=%.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("BENCH p90_ms=%.2f\n", latency:percentile(90) / 1000))
  io.write(string.format("BENCH p99_ms=%.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("BENCH max_ms=%.2f\n", latency.max / 1000))
  -- wrk counts every status >= 400 here (its "Non-2xx or 3xx responses" line); a 304 would not be counted,
  -- but the script never sends If-None-Match, so the only success is 200.
  io.write(string.format("BENCH non2xx=%d\n", errors.status))
  io.write(string.format("BENCH socket_errors=%d\n", errors.connect + errors.read + errors.write + errors.timeout))
end
