-- wrk script: with WRK_IDS_FILE set, each request asks for the next id in the file (the
-- URL's "{id}" is replaced); WRK_METHOD and WRK_BODY (JSON) make it a write. With
-- WRK_MODE=create-delete, requests alternate between creating a row (POST to the URL,
-- body WRK_BODY) and deleting one this thread created, so the table keeps its size.
-- At the end, one JSON line with req/s, percentiles and errors.
local ids = {}
local next_id = 0
local path_template = nil
local method = nil
local body = nil
local created = {} -- ids this thread's POSTs returned, not yet deleted
local create_delete = false
local json_headers = nil

function init(args)
  local file = os.getenv("WRK_IDS_FILE")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then ids[#ids + 1] = line end
    end
  end
  -- Threads start at different ids so they do not walk the list in step.
  next_id = math.random(#ids > 0 and #ids or 1)
  path_template = wrk.path
  method = os.getenv("WRK_METHOD")
  if method == "" then method = nil end
  body = os.getenv("WRK_BODY")
  if body == "" then body = nil end
  create_delete = os.getenv("WRK_MODE") == "create-delete"
  json_headers = {}
  for k, v in pairs(wrk.headers) do json_headers[k] = v end
  json_headers["Content-Type"] = "application/json"
end

local function with_id(id)
  return (path_template:gsub("%%7Bid%%7D", id):gsub("{id}", id))
end

function request()
  if create_delete then
    local id = table.remove(created)
    if id then
      return wrk.format("DELETE", path_template .. "/" .. id)
    end
    return wrk.format("POST", path_template, json_headers, body)
  end
  local headers = body and json_headers or nil
  if #ids == 0 then
    return wrk.format(method, path_template, headers, body)
  end
  next_id = next_id % #ids + 1
  return wrk.format(method, with_id(ids[next_id]), headers, body)
end

if os.getenv("WRK_MODE") == "create-delete" then
  -- Defined only when needed: with it, wrk reads every response body.
  function response(status, headers, text)
    if status == 201 or status == 200 then
      local id = text:match('"id"%s*:%s*"([^"]+)"')
      if id then created[#created + 1] = id end
    end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"rps": %.2f, "requests": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6), summary.requests,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors))
end
