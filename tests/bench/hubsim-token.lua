-- wrk script for hubsim's token endpoint, one grant per run (driven by hubsim-token.mjs).
--   wrk ... -s hubsim-token.lua URL -- GRANT MATERIAL_FILE THREADS [BASIC_AUTH]
-- GRANT: client_credentials | authorization_code | refresh_token | device_code
-- MATERIAL_FILE: one value per line — a scope (client_credentials), a code, a refresh token
-- (one per connection; each response supplies the next), a device code. Lines are dealt out to
-- wrk's threads round-robin, so no value is sent twice. At the end wrk prints one
-- "RESULT {json}" line with the run's figures (non_2xx > 0 means material ran out or a request
-- was refused: the figure is then not a throughput of successful grants).
-- Note: wrk calls request() once in thread 1's state before the run to check the script, which
-- uses up one value there; the driver adds one spare value per thread for that.

local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local grant, queue

function init(args)
  grant = args[1]
  local file, nthreads = args[2], tonumber(args[3])
  queue = {}
  local i = 0
  for line in io.lines(file) do
    -- The client-credentials scope is reused by every thread; the rest is single use.
    if grant == "client_credentials" or i % nthreads == id then table.insert(queue, line) end
    i = i + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "application/json"
  if args[4] and args[4] ~= "" then wrk.headers["Authorization"] = args[4] end
end

local function take()
  if grant == "client_credentials" then return queue[1] end
  local v = table.remove(queue, 1)
  return v or "exhausted"
end

function request()
  local v = take()
  local body
  if grant == "client_credentials" then
    body = "grant_type=client_credentials&scope=" .. v
  elseif grant == "authorization_code" then
    body = "grant_type=authorization_code&code=" .. v
  elseif grant == "refresh_token" then
    body = "grant_type=refresh_token&refresh_token=" .. v
  else
    body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=zai_mobile&device_code=" .. v
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if grant == "refresh_token" and status == 200 then
    local rt = body:match('"refresh_token":"([^"]+)"')
    if rt then table.insert(queue, rt) end
  end
end

function done(summary, latency, requests)
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
