-- POST /accounts/sessions/refresh chains. An update token works once, so each request carries the token from
-- the answer to an earlier one. bench/run signs in once per connection plus once per wrk thread and passes the
-- update tokens in BENCH_UPDATE_TOKENS (comma-separated), with BENCH_THREADS; setup() deals them out to wrk's
-- threads, and each thread keeps a queue of live tokens. Every connection has one request in flight, so the
-- queue never runs dry while the chains live. The extra chain per thread is there because wrk calls request()
-- once more than it sends, on its first thread, to check the request it builds. A chain that breaks (an answer
-- without an update_token) shows up in wrk's count of non-2xx answers.
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
