// Cost of multi-turn session bookkeeping per request (docs/performance.md): a session's turns
// built the way the driver builds them (harness/load/virtual_users.cc, run_session): the turn's
// new 128-token synthetic message, the history moved in (SessionHistory::next_request), the
// request body serialised (build_request_body, OpenAI chat), and the 128-token reply appended
// (add_reply). BM_SessionTurns/turns:k runs whole sessions of k turns: items/s are requests/s,
// so 1e6 / (items/s) is the mean µs per request over turns 1..k. BM_PlainRequest is the same
// for one request without history, the load every single-turn step pays.
#include <benchmark/benchmark.h>

#include <string>

#include "harness/client/api_flavor.h"
#include "harness/client/endpoint.h"
#include "harness/load/prompt_source.h"
#include "harness/load/session.h"

namespace {

using namespace llmbench;

const load::PromptSource& prompts() {
  static const load::PromptSourcePtr p = [] {
    load::SyntheticPromptOptions options;
    options.prompt_tokens.shape = Distribution::fixed(128);
    return load::make_synthetic_prompts(options);
  }();
  return *p;
}

// A 128-word reply, as a server returns it (the driver moves the received text in).
const std::string& reply() {
  static const std::string text = prompts().request_for(1u << 30).messages.back().content;
  return text;
}

harness::Endpoint endpoint() {
  harness::Endpoint e;
  e.base_url = "http://127.0.0.1:1/v1";
  e.model = "bench-model";
  return e;
}

void BM_PlainRequest(benchmark::State& state) {
  const harness::Endpoint e = endpoint();
  std::uint64_t index = 0;
  for (auto _ : state) {
    const harness::ChatRequest request = prompts().request_for(index++);
    benchmark::DoNotOptimize(harness::build_request_body(e, request, true));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainRequest);

void BM_SessionTurns(benchmark::State& state) {
  const harness::Endpoint e = endpoint();
  const auto turns = static_cast<std::uint32_t>(state.range(0));
  std::uint64_t session = 0;
  std::size_t body_bytes = 0;
  for (auto _ : state) {
    load::SessionHistory history;
    for (std::uint32_t turn = 0; turn < turns; ++turn) {
      const harness::ChatRequest& request = history.next_request(prompts().turn_for(session, turn));
      const std::string body = harness::build_request_body(e, request, true);
      body_bytes += body.size();
      benchmark::DoNotOptimize(body);
      history.add_reply(std::string(reply()), 128);
    }
    ++session;
  }
  state.SetItemsProcessed(state.iterations() * turns);
  state.counters["body_bytes_per_request"] =
      benchmark::Counter(static_cast<double>(body_bytes) / static_cast<double>(state.iterations() * turns));
}
BENCHMARK(BM_SessionTurns)->ArgName("turns")->DenseRange(1, 8);

}  // namespace

BENCHMARK_MAIN();
