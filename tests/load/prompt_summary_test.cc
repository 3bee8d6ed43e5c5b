#include "harness/load/prompt_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "harness/load/prompt_source.h"

namespace llmbench::load {
namespace {

TEST(LengthStats, PercentilesAreNearestRankAndBinsCoverMinToMax) {
  std::vector<std::uint32_t> values(100);
  std::iota(values.begin(), values.end(), 1);  // 1..100, shuffled order does not matter
  std::reverse(values.begin(), values.end());
  const LengthStats s = length_stats(values, 10);
  EXPECT_EQ(s.count, 100u);
  EXPECT_EQ(s.min, 1u);
  EXPECT_EQ(s.p50, 50u);
  EXPECT_EQ(s.p90, 90u);
  EXPECT_EQ(s.p99, 99u);
  EXPECT_EQ(s.max, 100u);
  EXPECT_DOUBLE_EQ(s.mean, 50.5);
  ASSERT_EQ(s.histogram.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(s.histogram[i].lo, 10 * i + 1);
    EXPECT_EQ(s.histogram[i].hi, 10 * i + 10);
    EXPECT_EQ(s.histogram[i].count, 10u);
  }
}

TEST(LengthStats, FewDistinctValuesGetOneBinEachAndEmptyInputNone) {
  const LengthStats s = length_stats({5, 3, 3}, 10);
  ASSERT_EQ(s.histogram.size(), 3u);  // 3, 4, 5
  EXPECT_EQ(s.histogram[0].count, 2u);
  EXPECT_EQ(s.histogram[1].count, 0u);
  EXPECT_EQ(s.histogram[2].count, 1u);
  EXPECT_EQ(s.histogram[2].lo, 5u);
  EXPECT_EQ(s.p50, 3u);
  EXPECT_EQ(s.p99, 5u);
  const LengthStats empty = length_stats({}, 10);
  EXPECT_EQ(empty.count, 0u);
  EXPECT_TRUE(empty.histogram.empty());
  // A last bin narrower than the others still ends at max, and every value lands in a bin.
  const LengthStats odd = length_stats({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 4);
  ASSERT_EQ(odd.histogram.size(), 4u);
  EXPECT_EQ(odd.histogram.back().hi, 11u);
  std::uint64_t total = 0;
  for (const auto& b : odd.histogram) total += b.count;
  EXPECT_EQ(total, 11u);
}

TEST(PromptSummary, CountsWhatTheRequestsCarryWithTheScenarioFieldsApplied) {
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = Distribution::fixed(37);
  const auto source = make_synthetic_prompts(options);
  PromptSummaryOptions o;
  o.count = 20;
  o.head = 2;
  const PromptSummary none = summarize_prompts(*source, o);
  EXPECT_EQ(none.requests, 20u);
  EXPECT_EQ(none.prompt_tokens.count, 20u);
  EXPECT_EQ(none.prompt_tokens.min, 37u);
  EXPECT_EQ(none.prompt_tokens.max, 37u);
  EXPECT_EQ(none.output_tokens.count, 0u) << "no max_tokens anywhere: nothing requested";
  ASSERT_EQ(none.head.size(), 2u);
  EXPECT_EQ(none.head[1].index, 1u);
  EXPECT_EQ(none.head[0].messages.at(0).content, source->request_for(0).messages.at(0).content);
  o.fields.max_tokens = 64;  // the scenario's max_tokens, as build_request applies it
  const PromptSummary with = summarize_prompts(*source, o);
  EXPECT_EQ(with.output_tokens.count, 20u);
  EXPECT_EQ(with.output_tokens.p50, 64u);
  EXPECT_EQ(with.head[0].max_tokens, 64u);
}

// A source's own max_tokens (a dataset's reply length) wins over the scenario's, as in a run.
class TwoLengths final : public PromptSource {
 public:
  harness::ChatRequest request_for(std::uint64_t index) const override {
    harness::ChatRequest r;
    r.messages.push_back({"user", "x"});
    r.prompt_tokens_estimate = 1;
    if (index % 2 == 0) r.max_tokens = 7;
    return r;
  }
  std::string description() const override { return "two"; }
};

TEST(PromptSummary, ASourcesOwnOutputLengthWinsOverTheScenarios) {
  TwoLengths source;
  PromptSummaryOptions o;
  o.count = 10;
  const PromptSummary alone = summarize_prompts(source, o);
  EXPECT_EQ(alone.output_tokens.count, 5u) << "only the requests that set one";
  o.fields.max_tokens = 100;
  const PromptSummary both = summarize_prompts(source, o);
  EXPECT_EQ(both.output_tokens.count, 10u);
  EXPECT_EQ(both.output_tokens.min, 7u);
  EXPECT_EQ(both.output_tokens.max, 100u);
  EXPECT_EQ(both.output_tokens.p50, 7u);
}

TEST(PromptSummary, SharedPrefixesAreFoundAsTheyWereConfigured) {
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = Distribution::fixed(40);
  options.prefix_tokens = 64;  // four 16-word blocks
  options.prefixes = 4;
  options.prefix_share = 1.0;
  const auto source = make_synthetic_prompts(options);
  PromptSummaryOptions o;
  o.count = 400;
  const PromptSummary s = summarize_prompts(*source, o);
  const SharedPrefixStats& p = s.prefixes;
  EXPECT_EQ(p.distinct_prefixes, 4u);
  EXPECT_EQ(p.requests_sharing, 396u) << "all but the first request of each prefix";
  EXPECT_EQ(p.shared_prefix_words.min, 64u) << "the prefix, not the requests' own random text";
  EXPECT_EQ(p.shared_prefix_words.max, 64u);
  EXPECT_EQ(p.total_words, 400u * 104u);
  EXPECT_EQ(p.shared_words, 396u * 64u);
  EXPECT_GE(p.min_requests_per_prefix, 60u);  // uniform over 4: ~100 each
  EXPECT_LE(p.max_requests_per_prefix, 140u);

  options.prefix_share = 0.5;
  const PromptSummary half = summarize_prompts(*make_synthetic_prompts(options), o);
  EXPECT_NEAR(static_cast<double>(half.prefixes.requests_sharing), 200.0, 40.0);
  EXPECT_EQ(half.prefixes.distinct_prefixes, 4u);

  options.prefix_tokens = 0;
  const PromptSummary none = summarize_prompts(*make_synthetic_prompts(options), o);
  EXPECT_EQ(none.prefixes.requests_sharing, 0u) << "random texts share nothing";
  EXPECT_EQ(none.prefixes.distinct_prefixes, 0u);
}

TEST(PromptSummary, HeadTextsAreCutAtACharacterBoundary) {
  // The cut itself is harness::truncate_utf8's (tests/client/error_text_test.cc).
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = Distribution::fixed(100);
  const auto source = make_synthetic_prompts(options);
  PromptSummaryOptions o;
  o.count = 1;
  o.head_chars = 30;
  const PromptSummary s = summarize_prompts(*source, o);
  ASSERT_EQ(s.head.size(), 1u);
  EXPECT_LE(s.head[0].messages[0].content.size(), 30u);
  EXPECT_EQ(s.head[0].message_bytes[0], source->request_for(0).messages[0].content.size());
}

}  // namespace
}  // namespace llmbench::load
