-- wrk script: every request is a non-streaming OpenAI chat completion (the same ~128-word prompt
-- as the other peer clients); done() prints one JSON line for run_peers.sh. wrk knows nothing of
-- tokens: the comparison takes output tokens from the mock's configured response length.
local words = {}
for i = 0, 127 do words[#words + 1] = "word" .. (i % 97) end

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"mock-model","messages":[{"role":"user","content":"' ..
           table.concat(words, " ") .. '"}]}'

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"client":"wrk","op":"invoke","requests":%d,"failed":%d,"duration_s":%.6f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"e2e_ms":{"p50":%.4f,"p99":%.4f,"mean":%.4f,"max":%.4f}}\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.mean / 1e3, latency.max / 1e3))
end
