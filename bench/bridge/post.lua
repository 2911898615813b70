-- wrk script: POST with the bearer token from the environment (VIGIL_TOKEN); prints one RESULT line
-- (socket_errors includes HTTP statuses >= 400, which wrk counts as errors.status).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("VIGIL_TOKEN")


function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
