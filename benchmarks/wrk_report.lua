-- wrk script: with WRK_IDS_FILE set, each request asks for the next id in the file (the
-- URL's "{id}" is replaced); at the end, one JSON line with req/s, percentiles and errors.
local ids = {}
local next_id = 0
local path_template = nil

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
end

function request()
  if #ids == 0 then
    return wrk.format(nil, path_template)
  end
  next_id = next_id % #ids + 1
  return wrk.format(nil, (path_template:gsub("%%7Bid%%7D", ids[next_id]):gsub("{id}", ids[next_id])))
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"rps": %.2f, "requests": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6), summary.requests,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), errors))
end
