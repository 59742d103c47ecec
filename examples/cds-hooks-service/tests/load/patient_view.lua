-- wrk script: POSTs the patient-view request with its full prefetch (tests/fixtures/patient-view.json).
-- The file is named by the environment variable CDS_REQUEST, read once per wrk thread.
local path = os.getenv("CDS_REQUEST")
local file = assert(io.open(path, "rb"), "cannot read " .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

-- Counts answers other than 200 (wrk's own "Non-2xx" line misses nothing, but this names them).
local bad = 0
function response(status, headers, body)
    if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
    io.write(string.format("requests %d, errors(connect/read/write/status/timeout) %d/%d/%d/%d/%d\n",
        summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
        summary.errors.status, summary.errors.timeout))
    io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
    io.write(string.format("req/s %.0f\n", summary.requests / (summary.duration / 1e6)))
end
