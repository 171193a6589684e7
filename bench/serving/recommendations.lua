-- wrk script: GET /v1/users/<id>/recommendations?k=20, rotating over the user ids in
-- $SPUMR_USER_IDS (one per line), each wrk thread from its own random starting point.
-- $SPUMR_PACE_MS (optional): each connection waits that long between requests, which caps the
-- offered rate at about connections * 1000 / pace requests/s (wrk's latency excludes the wait).
local ids = {}
for line in io.lines(os.getenv("SPUMR_USER_IDS")) do
  ids[#ids + 1] = line
end

local i = 0
local statuses = {}

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  i = math.random(#ids)
end

function request()
  i = (i % #ids) + 1
  return wrk.format("GET", "/v1/users/" .. ids[i] .. "/recommendations?k=20")
end

local pace = tonumber(os.getenv("SPUMR_PACE_MS") or "0")
if pace > 0 then
  function delay()
    return pace
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
