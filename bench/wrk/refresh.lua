-- POST /accounts/sessions/refresh chains. An update token works once, so each request carries the token from
-- the answer to an earlier one. bench/run signs in once per connection and passes the update tokens in
-- BENCH_UPDATE_TOKENS (comma-separated); setup() deals them out to wrk's threads, and each thread keeps a queue:
-- every connection has one request in flight, so with as many chains as connections the queue is never empty
-- while the chains live. A chain that breaks (any answer without an update_token) shows up as non-2xx answers.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local dealt = 0
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")

function setup(thread)
  local mine = {}
  local i = 0
  for token in string.gmatch(os.getenv("BENCH_UPDATE_TOKENS") or "", "[^,]+") do
    if i % thread_count == dealt then
      table.insert(mine, token)
    end
    i = i + 1
  end
  thread:set("chains", table.concat(mine, ","))
  dealt = dealt + 1
end

local queue = {}

function init(args)
  for token in string.gmatch(chains or "", "[^,]+") do
    table.insert(queue, token)
  end
end

function request()
  local token = table.remove(queue, 1) or "no-chain-left"
  return wrk.format(nil, nil, nil, '{"update_token":"' .. token .. '"}')
end

function response(status, headers, body)
  local token = body:match('"update_token"%s*:%s*"([^"]+)"')
  if token then
    table.insert(queue, token)
  end
end
