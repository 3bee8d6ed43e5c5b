#include "harness/load/exact_length_prompt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/tokenizer/tokenizer.h"
#include "harness/load/prompt_source.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::load {
namespace {

using ::testing::HasSubstr;
using tokenizer::testing::TempDir;

// Every drawn length is met exactly, re-encoded by the same tokenizer the way a server would.
void expect_exact_lengths(const tokenizer::TokenizerPtr& t) {
  const ExactLengthPrompts prompts(t);
  PromptRng rng{42};
  for (const std::uint32_t n : {1u, 2u, 3u, 7u, 16u, 100u, 128u, 517u, 2048u}) {
    for (int k = 0; k < 5; ++k) {
      const auto made = prompts.make(n, rng);
      EXPECT_TRUE(made.exact) << n;
      EXPECT_EQ(made.tokens, n);
      EXPECT_EQ(t->count(made.text), n) << "\"" << made.text.substr(0, 120) << "\"";
    }
  }
}

TEST(ExactLengthPrompts, Llama3PromptsHaveExactlyTheDrawnTokenCount) {
  expect_exact_lengths(tokenizer::load_tokenizer(tokenizer::testing::kLlama3TokenizerJson));
}

TEST(ExactLengthPrompts, SentencePiecePromptsHaveExactlyTheDrawnTokenCount) {
  TempDir dir;
  const auto model = tokenizer::testing::train_sentencepiece(dir, 400);
  ASSERT_FALSE(model.empty()) << "spm_train (Debian package sentencepiece) failed";
  expect_exact_lengths(tokenizer::load_tokenizer(model));
}

TEST(ExactLengthPrompts, ATokenizerWithoutWordsIsRefused) {
  TempDir dir;
  const auto model = tokenizer::testing::train_sentencepiece(dir, 32);
  ASSERT_FALSE(model.empty());
  EXPECT_THAT([&] { ExactLengthPrompts p(tokenizer::load_tokenizer(model)); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("plain word tokens")));
}

TEST(SyntheticPromptsWithATokenizer, SameIndexSamePromptAndTheCountIsTheRequestsEstimate) {
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = parse_count_distribution("uniform(50,400)");
  options.system_prompt = "You are a helpful assistant.";
  options.tokenizer = tokenizer::load_tokenizer(tokenizer::testing::kLlama3TokenizerJson);
  const auto source = make_synthetic_prompts(options);
  const auto system_tokens = options.tokenizer->count(options.system_prompt);
  for (std::uint64_t i = 0; i < 20; ++i) {
    const auto a = source->request_for(i);
    ASSERT_EQ(a.messages.size(), 2u);
    EXPECT_EQ(a.messages[1].content, source->request_for(i).messages[1].content);
    const auto user_tokens = options.tokenizer->count(a.messages[1].content);
    EXPECT_GE(user_tokens, 50u);
    EXPECT_LE(user_tokens, 400u);
    EXPECT_EQ(a.prompt_tokens_estimate, user_tokens + system_tokens);
  }
  EXPECT_THAT(source->description(), HasSubstr("exact lengths: Hugging Face byte-level BPE"));
}

}  // namespace
}  // namespace llmbench::load
