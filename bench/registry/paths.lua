-- wrk script for bench.registry: GET the paths of a file in turn (each thread from its own offset) with a bearer
-- token, stop after a fixed number of responses (or wrk's -d time cap), print one JSON line of results.
-- wrk -t1 -c32 -d30s --timeout 10s -s paths.lua http://127.0.0.1:PORT -- PATHS_FILE REQUESTS TOKEN

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

-- wrk has no wall clock in Lua and reports its full -d as the duration even after a thread stops early, so each
-- thread notes when it sent its first request and received its last counted response.
local function now_us()
  local handle = io.popen("date +%s%6N")
  local value = handle:read("*n")
  handle:close()
  return value
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  limit = tonumber(args[2])
  wrk.headers["Authorization"] = "Bearer " .. args[3]
  position = (id * 7919) % #paths
  responses = 0
end

function request()
  if started == nil then
    started = now_us()
  end
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  responses = responses + 1
  if responses >= limit and finished == nil then
    finished = now_us()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local duration = summary.duration
  local first, last = nil, nil
  for _, thread in ipairs(threads) do
    local s, f = thread:get("started"), thread:get("finished")
    if s == nil or f == nil then
      first = nil
      break  -- a thread ran into the time cap: wrk's own duration is right
    end
    first = (first == nil or s < first) and s or first
    last = (last == nil or f > last) and f or last
  end
  if first ~= nil then
    duration = last - first
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
