// Hot-path costs (Google Benchmark; prints figures, asserts nothing): the per-chunk and
// per-request work the harness and the mock do for every token, in isolation.
//   build/release/bench/hot_paths_bench [--benchmark_filter=Sse]
// Streams are recorded from the mock's provider core (bench/recorded_stream.h).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/recorded_stream.h"
#include "harness/client/api_flavor.h"
#include "harness/client/chunk_decoder.h"
#include "harness/client/ndjson_parser.h"
#include "harness/client/sse_parser.h"
#include "mock_provider/engine.h"
#include "mock_provider/provider.h"

namespace {

using namespace llmbench;
using namespace std::chrono_literals;

constexpr std::uint32_t kStreamTokens = 256;

const std::string& openai_stream() {
  static const std::string stream = bench::record_stream_body(false, kStreamTokens);
  return stream;
}

const std::string& ollama_stream() {
  static const std::string stream = bench::record_stream_body(true, kStreamTokens);
  return stream;
}

// Arg(0) means the whole stream in one feed.
std::size_t piece_size(const benchmark::State& state, const std::string& stream) {
  const auto arg = static_cast<std::size_t>(state.range(0));
  return arg == 0 ? stream.size() : arg;
}

void piece_size_args(benchmark::internal::Benchmark* b) {
  b->ArgName("piece")->Arg(0)->Arg(1)->Arg(7)->Arg(64)->Arg(4096);
}

// SSE framing only: bytes in, events out; the callback just counts.
void BM_SseParse(benchmark::State& state) {
  const std::string& stream = openai_stream();
  const std::size_t piece = piece_size(state, stream);
  std::size_t events = 0;
  const auto on_event = [&events](const harness::SseEvent& event) {
    benchmark::DoNotOptimize(event.data.data());
    ++events;
    return true;
  };
  for (auto _ : state) {
    harness::SseParser parser;
    const std::string_view bytes = stream;
    for (std::size_t pos = 0; pos < bytes.size(); pos += piece)
      parser.feed(bytes.substr(pos, piece), on_event);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events_per_stream"] = static_cast<double>(events) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SseParse)->Apply(piece_size_args);

void BM_NdjsonParse(benchmark::State& state) {
  const std::string& stream = ollama_stream();
  const std::size_t piece = piece_size(state, stream);
  std::size_t lines = 0;
  const auto on_line = [&lines](std::string_view line) {
    benchmark::DoNotOptimize(line.data());
    ++lines;
    return true;
  };
  for (auto _ : state) {
    harness::NdjsonParser parser;
    const std::string_view bytes = stream;
    for (std::size_t pos = 0; pos < bytes.size(); pos += piece)
      parser.feed(bytes.substr(pos, piece), on_line);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(lines));
  state.counters["lines_per_stream"] = static_cast<double>(lines) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_NdjsonParse)->Apply(piece_size_args);

// What a streamed chunk costs end to end in the client: framing plus JSON decoding, with the
// parser and decoder reused across chunks as a transfer does.
void BM_SseParseAndDecode(benchmark::State& state) {
  const std::string& stream = openai_stream();
  const std::size_t piece = piece_size(state, stream);
  harness::ChunkDecoder decoder;
  std::size_t chunks = 0;
  const auto on_event = [&](const harness::SseEvent& event) {
    if (event.data != "[DONE]") {
      benchmark::DoNotOptimize(decoder.decode_chunk(harness::ApiFlavor::openai_chat, event.data));
      ++chunks;
    }
    return true;
  };
  for (auto _ : state) {
    harness::SseParser parser;
    const std::string_view bytes = stream;
    for (std::size_t pos = 0; pos < bytes.size(); pos += piece)
      parser.feed(bytes.substr(pos, piece), on_event);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(chunks));
}
BENCHMARK(BM_SseParseAndDecode)->ArgName("piece")->Arg(0)->Arg(64)->Arg(4096);

void decode_chunks(benchmark::State& state, harness::ApiFlavor flavor,
                   const std::vector<std::string>& chunks) {
  harness::ChunkDecoder decoder;
  std::size_t bytes = 0;
  for (const auto& c : chunks) bytes += c.size();
  for (auto _ : state) {
    for (const auto& c : chunks) benchmark::DoNotOptimize(decoder.decode_chunk(flavor, c));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * chunks.size()));
}

void BM_ChunkDecodeOpenAi(benchmark::State& state) {
  decode_chunks(state, harness::ApiFlavor::openai_chat, bench::sse_payloads(openai_stream()));
}
BENCHMARK(BM_ChunkDecodeOpenAi);

void BM_ChunkDecodeOllama(benchmark::State& state) {
  decode_chunks(state, harness::ApiFlavor::ollama_chat, bench::ndjson_lines(ollama_stream()));
}
BENCHMARK(BM_ChunkDecodeOllama);

// A whole non-streamed response body.
void BM_ResponseDecodeOpenAi(benchmark::State& state) {
  mock::Provider provider(mock::MockConfig::fixed_latency(0ms, 0ms, kStreamTokens));
  mock::IncomingRequest request;
  request.method = "POST";
  request.target = "/v1/chat/completions";
  request.body = R"({"model":"mock-model","messages":[{"role":"user","content":"benchmark"}]})";
  auto exchange = provider.handle(request, 0);
  exchange->begin(0);
  const std::string body = exchange->next_piece().bytes;
  harness::ChunkDecoder decoder;
  for (auto _ : state)
    benchmark::DoNotOptimize(decoder.decode_response(harness::ApiFlavor::openai_chat, body));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResponseDecodeOpenAi);

// Request body building, per request; Arg = prompt characters.
void build_body(benchmark::State& state, harness::ApiFlavor flavor, bool stream) {
  harness::Endpoint endpoint;
  endpoint.flavor = flavor;
  harness::ChatRequest request;
  request.messages = {{"system", "You are a helpful assistant."},
                      {"user", std::string(static_cast<std::size_t>(state.range(0)), 'x')}};
  request.max_tokens = 128;
  request.seed = 42;
  request.temperature = 0.7;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string body = harness::build_request_body(endpoint, request, stream);
    bytes += body.size();
    benchmark::DoNotOptimize(body.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

void BM_BuildBodyOpenAiStream(benchmark::State& state) {
  build_body(state, harness::ApiFlavor::openai_chat, true);
}
BENCHMARK(BM_BuildBodyOpenAiStream)->ArgName("prompt_chars")->Arg(64)->Arg(4096);

void BM_BuildBodyOllamaStream(benchmark::State& state) {
  build_body(state, harness::ApiFlavor::ollama_chat, true);
}
BENCHMARK(BM_BuildBodyOllamaStream)->ArgName("prompt_chars")->Arg(64)->Arg(4096);

// The mock's side of one streamed request: parse and plan it (Provider::handle), then
// serialise every body piece and frame it for chunked transfer as the asio engine does.
// Items are body pieces (one per token, plus usage and terminator).
void mock_stream(benchmark::State& state, bool ollama) {
  const auto tokens = static_cast<std::uint32_t>(state.range(0));
  mock::Provider provider(mock::MockConfig::fixed_latency(0ms, 0ms, tokens));
  const mock::IncomingRequest request = bench::streaming_request(ollama);
  std::string out;
  std::size_t pieces = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto exchange = provider.handle(request, 0);
    exchange->begin(0);
    out = mock::serialize_head(exchange->head(), -1, true);
    for (;;) {
      const mock::BodyPiece piece = exchange->next_piece();
      out.clear();
      mock::append_chunk(out, piece.bytes);
      bytes += out.size();
      ++pieces;
      if (piece.then != mock::BodyPiece::Then::more) break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(pieces));
}

void BM_MockStreamOpenAi(benchmark::State& state) { mock_stream(state, false); }
BENCHMARK(BM_MockStreamOpenAi)->ArgName("tokens")->Arg(32)->Arg(256);

void BM_MockStreamOllama(benchmark::State& state) { mock_stream(state, true); }
BENCHMARK(BM_MockStreamOllama)->ArgName("tokens")->Arg(32)->Arg(256);

}  // namespace

BENCHMARK_MAIN();
