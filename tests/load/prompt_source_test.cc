#include "harness/load/prompt_source.h"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/input_error.h"

namespace llmbench::load {
namespace {

namespace fs = std::filesystem;

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    path_ = fs::temp_directory_path() /
            ("llmbench_prompts_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl");
    std::ofstream(path_) << content;
  }
  ~TempFile() { fs::remove(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string error_of(const std::string& content) {
  TempFile file(content);
  try {
    load_jsonl_prompts(file.path());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SyntheticPrompts, FixedLengthGivesThatManyWords) {
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = Distribution::fixed(37);
  auto source = make_synthetic_prompts(options);
  const auto request = source->request_for(5);
  ASSERT_EQ(request.messages.size(), 1u);
  EXPECT_EQ(request.messages[0].role, "user");
  EXPECT_EQ(estimate_tokens(request.messages[0].content), 37u);
  EXPECT_EQ(request.prompt_tokens_estimate, 37u);
}

TEST(SyntheticPrompts, SameSeedAndIndexGiveTheSamePromptWhateverTheOrder) {
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = {Distribution::Kind::uniform, 10, 200};
  options.seed = 3;
  auto a = make_synthetic_prompts(options);
  auto b = make_synthetic_prompts(options);
  const auto late = b->request_for(99).messages[0].content;  // asked out of order
  EXPECT_EQ(a->request_for(0).messages[0].content, b->request_for(0).messages[0].content);
  EXPECT_EQ(a->request_for(99).messages[0].content, late);
  EXPECT_NE(a->request_for(1).messages[0].content, a->request_for(2).messages[0].content);
}

TEST(SyntheticPrompts, LengthDistributionMeanAndBoundsHold) {
  SyntheticPromptOptions options;
  options.prompt_tokens.shape = {Distribution::Kind::normal, 100, 20};
  options.prompt_tokens.min = 60;
  options.prompt_tokens.max = 140;
  options.system_prompt = "be brief";
  auto source = make_synthetic_prompts(options);
  double sum = 0;
  constexpr int kN = 2000;
  for (int i = 0; i < kN; ++i) {
    const auto request = source->request_for(static_cast<std::uint64_t>(i));
    ASSERT_EQ(request.messages.size(), 2u);
    EXPECT_EQ(request.messages[0].role, "system");
    const auto n = estimate_tokens(request.messages[1].content);
    ASSERT_GE(n, 60u);
    ASSERT_LE(n, 140u);
    sum += n;
  }
  EXPECT_NEAR(sum / kN, 100, 3);
}

TEST(SyntheticPrompts, ImpossibleDistributionIsRejected) {
  SyntheticPromptOptions options;
  options.prompt_tokens.min = 10;
  options.prompt_tokens.max = 5;
  EXPECT_THROW(make_synthetic_prompts(options), std::invalid_argument);
}

TEST(JsonlPrompts, ReadsPromptsAndMessagesRoundRobin) {
  TempFile file(
      "{\"prompt\": \"hello there\"}\n"
      "\n"
      "{\"messages\": [{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": \"a b "
      "c\"}]}\n");
  auto source = load_jsonl_prompts(file.path());
  auto first = source->request_for(0);
  ASSERT_EQ(first.messages.size(), 1u);
  EXPECT_EQ(first.messages[0].content, "hello there");
  EXPECT_EQ(first.prompt_tokens_estimate, 2u);
  auto second = source->request_for(1);
  ASSERT_EQ(second.messages.size(), 2u);
  EXPECT_EQ(second.messages[1].content, "a b c");
  EXPECT_EQ(source->request_for(2).messages[0].content, "hello there");
}

// A line's own request fields were silently ignored before (issue 15 item 2).
TEST(JsonlPrompts, ALineCarriesItsOwnRequestFields) {
  TempFile file(
      "{\"prompt\": \"a\", \"max_tokens\": 64, \"min_tokens\": 32, \"ignore_eos\": true, \"temperature\": 0, "
      "\"top_p\": 0.5, \"seed\": 9, \"extra_body\": {\"top_k\": 3}}\n"
      "{\"prompt\": \"b\", \"output_tokens\": 12}\n"
      "{\"prompt\": \"c\"}\n");
  auto source = load_jsonl_prompts(file.path());
  const auto first = source->request_for(0);
  EXPECT_EQ(first.max_tokens, 64u);
  EXPECT_EQ(first.min_tokens, 32u);
  EXPECT_EQ(first.ignore_eos, true);
  EXPECT_EQ(first.temperature, 0.0);
  EXPECT_EQ(first.top_p, 0.5);
  EXPECT_EQ(first.seed, 9u);
  ASSERT_NE(first.extra_body, nullptr);
  EXPECT_EQ(first.extra_body->at("top_k").to_number<int>(), 3);
  EXPECT_EQ(source->request_for(1).max_tokens, 12u);  // output_tokens: max_tokens' alias
  const auto third = source->request_for(2);
  EXPECT_EQ(third.max_tokens, 0u);
  EXPECT_FALSE(third.ignore_eos);
  EXPECT_EQ(third.extra_body, nullptr);
}

TEST(JsonlPrompts, BadRequestFieldsNameFileLineAndField) {
  const std::string both = error_of("{\"prompt\": \"a\", \"max_tokens\": 5, \"output_tokens\": 5}\n");
  EXPECT_NE(both.find(":1: output_tokens: is an alias of max_tokens"), std::string::npos) << both;
  const std::string negative = error_of("{\"prompt\": \"a\"}\n{\"prompt\": \"a\", \"max_tokens\": -1}\n");
  EXPECT_NE(negative.find(":2: max_tokens: must be between 0 and"), std::string::npos) << negative;
  const std::string text = error_of("{\"prompt\": \"a\", \"max_tokens\": \"64\"}\n");
  EXPECT_NE(text.find(":1: max_tokens: must be a whole number"), std::string::npos) << text;
  const std::string eos = error_of("{\"prompt\": \"a\", \"ignore_eos\": 1}\n");
  EXPECT_NE(eos.find(":1: ignore_eos: must be true or false"), std::string::npos) << eos;
  const std::string top_p = error_of("{\"prompt\": \"a\", \"top_p\": 1.5}\n");
  EXPECT_NE(top_p.find(":1: top_p: must be between 0 and 1"), std::string::npos) << top_p;
  const std::string extra = error_of("{\"prompt\": \"a\", \"extra_body\": [1]}\n");
  EXPECT_NE(extra.find(":1: extra_body: must be a JSON object"), std::string::npos) << extra;
  const std::string min = error_of("{\"prompt\": \"a\", \"max_tokens\": 5, \"min_tokens\": 6}\n");
  EXPECT_NE(min.find(":1: min_tokens: 6 is above max_tokens 5"), std::string::npos) << min;
}

TEST(JsonlPrompts, ErrorsNameFileLineAndField) {
  const std::string bad_json = error_of("{\"prompt\": \"ok\"}\n{\"prompt\": \n");
  EXPECT_NE(bad_json.find(":2: not valid JSON"), std::string::npos) << bad_json;

  const std::string wrong_type = error_of("{\"prompt\": 5}\n");
  EXPECT_NE(wrong_type.find(":1: prompt: must be a string"), std::string::npos) << wrong_type;

  const std::string both = error_of("\n{\"prompt\": \"a\", \"messages\": []}\n");
  EXPECT_NE(both.find(":2: each line needs exactly one"), std::string::npos) << both;

  const std::string bad_role = error_of(
      "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"bot\", \"content\": "
      "\"y\"}]}\n");
  EXPECT_NE(bad_role.find(":1: messages[1].role: must be"), std::string::npos) << bad_role;

  const std::string missing = error_of("{\"messages\": [{\"role\": \"user\"}]}\n");
  EXPECT_NE(missing.find(":1: messages[0].content: missing"), std::string::npos) << missing;

  const std::string empty = error_of("\n\n");
  EXPECT_NE(empty.find("no prompts"), std::string::npos) << empty;
}

TEST(JsonlPrompts, MissingFileIsAnInputError) {
  try {
    load_jsonl_prompts("/nonexistent/prompts.jsonl");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/prompts.jsonl: cannot open"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmbench::load

namespace llmbench::load {
namespace {

// Issue 16 item 1: a plain JSONL prompt file takes the ShareGPT source's length filters and
// seeded sample (before, a scenario refused the keys for it and load_jsonl_prompts had none).
std::string numbered_lines(int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    std::string words;
    for (int w = 0; w < i; ++w) words += (w > 0 ? " w" : "w") + std::to_string(i);
    out += "{\"prompt\": \"" + words + "\"" + (i % 3 == 0 ? ", \"max_tokens\": " + std::to_string(10 * i) : "") + "}\n";
  }
  return out;  // line i: i words; every third line asks for 10 i output tokens
}

std::vector<std::uint32_t> lengths_of(const PromptSource& source) {
  std::vector<std::uint32_t> out;
  for (std::uint64_t i = 0; i < source.cycle_length().value(); ++i) out.push_back(source.request_for(i).prompt_tokens_estimate);
  return out;
}

TEST(JsonlPrompts, LengthFiltersKeepOnlyTheLinesWithinThem) {
  TempFile file(numbered_lines(12));
  DatasetSelection s;
  s.min_prompt_tokens = 3;
  s.max_prompt_tokens = 10;
  DatasetSummary summary;
  const auto source = load_jsonl_prompts(file.path(), nullptr, s, &summary);
  EXPECT_EQ(lengths_of(*source), (std::vector<std::uint32_t>{3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(summary.records, 12u);
  EXPECT_EQ(summary.filtered, 8u);
  EXPECT_EQ(summary.selected, 8u);
  EXPECT_NE(source->description().find("8 of 12 prompts"), std::string::npos) << source->description();
  // max_output_tokens: a line's own max_tokens above it is skipped; a line without one is kept.
  DatasetSelection out;
  out.max_output_tokens = 60;  // lines 3 and 6 ask for 30 and 60; 9 and 12 for 90 and 120
  EXPECT_EQ(lengths_of(*load_jsonl_prompts(file.path(), nullptr, out)),
            (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 10, 11}));
}

TEST(JsonlPrompts, SamplingIsTheShareGptSourcesSeededSelection) {
  TempFile file(numbered_lines(40));
  DatasetSelection s;
  s.sample = 10;
  s.seed = 3;
  const auto a = lengths_of(*load_jsonl_prompts(file.path(), nullptr, s));
  EXPECT_EQ(a, lengths_of(*load_jsonl_prompts(file.path(), nullptr, s))) << "the same seed, the same sample";
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(std::set<std::uint32_t>(a.begin(), a.end()).size(), 10u) << "without replacement: no repeats";
  // The positions are the shared selection's (dataset_selection.h), line i being i words long.
  const std::vector<std::size_t> positions = sample_positions(40, s);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], positions[i] + 1);
  s.seed = 4;
  EXPECT_NE(lengths_of(*load_jsonl_prompts(file.path(), nullptr, s)), a);
  s.replacement = true;
  s.sample = 100;
  const auto with = lengths_of(*load_jsonl_prompts(file.path(), nullptr, s));
  EXPECT_EQ(with.size(), 100u);
  EXPECT_LT(std::set<std::uint32_t>(with.begin(), with.end()).size(), 40u) << "with replacement: repeats";
}

TEST(JsonlPrompts, NothingLeftAfterTheFiltersIsAnInputErrorNamingTheFile) {
  TempFile file(numbered_lines(5));
  DatasetSelection s;
  s.min_prompt_tokens = 50;
  try {
    load_jsonl_prompts(file.path(), nullptr, s);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(file.path().string() + ": no prompts within the length filters (5 lines"),
              std::string::npos)
        << e.what();
  }
  // A malformed line is still found, wherever the filters would have put it.
  TempFile bad(numbered_lines(3) + "{\"prompt\": 5}\n");
  try {
    load_jsonl_prompts(bad.path(), nullptr, s);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":4: prompt: must be a string"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace llmbench::load
