#include "harness/load/prompt_source.h"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
