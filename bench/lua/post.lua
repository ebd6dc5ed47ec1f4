-- wrk script: POSTs one awsJson1_1 request body over and over.
-- Environment: OP (the X-Amz-Target operation), BODY (file holding the JSON body).
-- Prints one line: RESULT op=.. ok=.. non2xx=.. sockerr=.. rps_ok=.. p50_ms=.. p99_ms=.. codes=[status:count ..]
local op = assert(os.getenv("OP"), "OP is not set")
local file = assert(io.open(assert(os.getenv("BODY"), "BODY is not set"), "r"))
local payload = file:read("*a")
file:close()

wrk.method = "POST"
wrk.path = "/"
wrk.body = payload
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService." .. op

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, bad, codes, sample = 0, 0, {}, nil
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    codes[status] = (codes[status] or 0) + 1
    if sample == nil then sample = body end
  end
end

function done(summary, latency, requests)
  local total_ok, total_bad, first, by_code = 0, 0, nil, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_bad = total_bad + thread:get("bad")
    first = first or thread:get("sample")
    for status, count in pairs(thread:get("codes")) do
      by_code[status] = (by_code[status] or 0) + count
    end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local code_list = {}
  for status, count in pairs(by_code) do table.insert(code_list, status .. ":" .. count) end
  io.write(string.format(
    "RESULT op=%s ok=%d non2xx=%d sockerr=%d rps_ok=%.1f p50_ms=%.3f p99_ms=%.3f codes=[%s]\n",
    op, total_ok, total_bad, socket_errors, total_ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(code_list, " ")))
  if first then io.write("FIRST_ERROR " .. string.sub(first, 1, 300):gsub("\n", " ") .. "\n") end
end
