-- wrk script for bench/indicators/run.sh: prints one machine-readable line at the end.
--   RESULT requests=N duration_s=S rps=R p50_ms=A p95_ms=B p99_ms=C max_ms=D non2xx=E socket_errors=F
-- wrk's latency histogram is in microseconds; latency:percentile(q) gives the q-th percentile.
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d bytes=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
