-- One round trip per request: is the caller's session revoked, and may it take a token from every bucket?
-- KEYS[1]      revocation key of the caller's session ("" or any absent key when anonymous)
-- KEYS[2..n]   token buckets (hashes: tokens, ts_us)
-- ARGV[1..]    per bucket: capacity, refill per second
-- Returns { revoked, allowed, remaining (first bucket), retry_after_ms, reset_s (first bucket) }.
-- Redis TIME is the clock, so every replica shares one notion of now.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

local revoked = 0
if KEYS[1] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then
  revoked = 1
end

local n = #KEYS - 1
local levels = {}
local allowed = 1
local retry_ms = 0
for i = 1, n do
  local capacity = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', KEYS[i + 1], 'tokens', 'ts')
  local tokens = tonumber(state[1])
  local ts = tonumber(state[2])
  if tokens == nil or ts == nil then
    tokens = capacity
    ts = now
  end
  local elapsed = math.max(0, now - ts) / 1000000
  tokens = math.min(capacity, tokens + elapsed * rate)
  levels[i] = tokens
  if tokens < 1 then
    allowed = 0
    retry_ms = math.max(retry_ms, math.ceil((1 - tokens) / rate * 1000))
  end
end

if revoked == 0 and allowed == 1 then
  for i = 1, n do
    levels[i] = levels[i] - 1
  end
end
for i = 1, n do
  local capacity = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i + 1], 'tokens', tostring(levels[i]), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[i + 1], math.ceil(capacity / rate * 1000) + 1000)
end

local remaining = 0
local reset = 0
if n > 0 then
  local capacity = tonumber(ARGV[1])
  local rate = tonumber(ARGV[2])
  remaining = math.floor(levels[1])
  reset = math.ceil((capacity - levels[1]) / rate)
end
return { revoked, allowed, remaining, retry_ms, reset }
