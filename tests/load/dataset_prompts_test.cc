#include "harness/load/dataset_prompts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/input_error.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::load {
namespace {

using ::testing::HasSubstr;
using tokenizer::testing::TempDir;

// Five records: two usable, one without a reply, one without a human turn, one with a second
// human turn that is not first (only the first human turn counts).
constexpr const char* kRecords[] = {
    R"({"id": "a", "conversations": [{"from": "human", "value": "one two three"}, {"from": "gpt", "value": "a b c d e"}]})",
    R"({"id": "b", "conversations": [{"from": "human", "value": "unanswered question"}]})",
    R"({"id": "c", "conversations": [{"from": "gpt", "value": "nobody asked"}, {"from": "gpt", "value": "x"}]})",
    R"({"id": "d", "conversations": [{"from": "system", "value": "sys"}, {"from": "human", "value": "w1 w2 w3 w4 w5 w6 w7"}, {"from": "gpt", "value": "r1 r2"}, {"from": "human", "value": "later"}, {"from": "gpt", "value": "z"}]})",
    R"({"id": "e", "conversations": []})",
};

std::string as_jsonl() {
  std::string out;
  for (const char* r : kRecords) out += std::string(r) + "\n";
  return out;
}
std::string as_array() {
  std::string out = "[";
  for (const char* r : kRecords) out += (out.size() > 1 ? ",\n" : "\n") + std::string(r);
  return out + "\n]\n";
}

TEST(ShareGpt, FirstHumanTurnIsThePromptAndTheReplyGivesTheOutputLength) {
  TempDir dir;
  for (const auto& file : {dir.write("d.jsonl", as_jsonl()), dir.write("d.json", as_array())}) {
    DatasetSummary summary;
    const auto entries = read_sharegpt(file, nullptr, {}, &summary);
    ASSERT_EQ(entries.size(), 2u) << file;
    EXPECT_EQ(entries[0].messages[0].content, "one two three");
    EXPECT_EQ(entries[0].messages[0].role, "user");
    EXPECT_EQ(entries[0].prompt_tokens, 3u);
    EXPECT_EQ(entries[0].output_tokens, 5u);
    EXPECT_EQ(entries[0].record, 1u);
    EXPECT_EQ(entries[1].messages[0].content, "w1 w2 w3 w4 w5 w6 w7");
    EXPECT_EQ(entries[1].output_tokens, 2u);
    EXPECT_EQ(entries[1].record, 4u);
    EXPECT_EQ(summary.records, 5u);
    EXPECT_EQ(summary.usable, 2u);
    EXPECT_EQ(summary.selected, 2u);
  }
}

TEST(ShareGpt, TokensAreCountedWithTheTokenizerWhenThereIsOne) {
  TempDir dir;
  const auto t = tokenizer::load_tokenizer(tokenizer::testing::kLlama3TokenizerJson);
  const auto entries = read_sharegpt(dir.write("d.jsonl", as_jsonl()), t, {});
  EXPECT_EQ(entries[1].prompt_tokens, t->count("w1 w2 w3 w4 w5 w6 w7"));
  EXPECT_EQ(entries[1].output_tokens, t->count("r1 r2"));
  EXPECT_NE(entries[1].prompt_tokens, 7u);  // "w1" is two tokens: not the word estimate
}

TEST(ShareGpt, LengthFiltersApplyBeforeSampling) {
  TempDir dir;
  const auto file = dir.write("d.jsonl", as_jsonl());
  DatasetSelection s;
  s.max_prompt_tokens = 5;
  ASSERT_EQ(read_sharegpt(file, nullptr, s).size(), 1u);
  s = {};
  s.min_prompt_tokens = 4;
  EXPECT_EQ(read_sharegpt(file, nullptr, s).front().record, 4u);
  s = {};
  s.max_output_tokens = 4;
  EXPECT_EQ(read_sharegpt(file, nullptr, s).front().record, 4u);
  s.max_output_tokens = 1;
  EXPECT_THAT([&] { read_sharegpt(file, nullptr, s); },
              ::testing::ThrowsMessage<InputError>(HasSubstr("no usable conversations (5 records, 2 with a prompt and a reply")));
}

TEST(ShareGpt, SamplingIsSeededWithOrWithoutReplacement) {
  TempDir dir;
  std::string many;
  for (int i = 0; i < 200; ++i)
    many += R"({"conversations": [{"from": "human", "value": "prompt )" + std::to_string(i) +
            R"("}, {"from": "gpt", "value": "answer"}]})" + "\n";
  const auto file = dir.write("many.jsonl", many);
  DatasetSelection s;
  s.sample = 50;
  s.seed = 7;
  const auto a = read_sharegpt(file, nullptr, s);
  const auto b = read_sharegpt(file, nullptr, s);
  ASSERT_EQ(a.size(), 50u);
  std::set<std::uint64_t> distinct;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].record, b[i].record);
    distinct.insert(a[i].record);
  }
  EXPECT_EQ(distinct.size(), 50u);  // without replacement: no repeats
  s.seed = 8;
  EXPECT_NE(read_sharegpt(file, nullptr, s).front().record * 1000 + read_sharegpt(file, nullptr, s)[1].record,
            a[0].record * 1000 + a[1].record);
  s.sample = 500;  // more than there are: all of them, once
  EXPECT_EQ(read_sharegpt(file, nullptr, s).size(), 200u);
  s.replacement = true;
  const auto with = read_sharegpt(file, nullptr, s);
  EXPECT_EQ(with.size(), 500u);
  std::set<std::uint64_t> seen;
  for (const auto& e : with) seen.insert(e.record);
  EXPECT_LT(seen.size(), 500u);  // with replacement: repeats
}

TEST(ShareGpt, MalformedRecordsNameTheLineAndTheField) {
  TempDir dir;
  const auto expect_error = [&](const std::string& text, const std::string& message) {
    const auto file = dir.write("bad.jsonl", text);
    EXPECT_THAT([&] { read_sharegpt(file, nullptr, {}); },
                ::testing::ThrowsMessage<InputError>(HasSubstr(file.string() + message)));
  };
  const std::string good = std::string(kRecords[0]) + "\n";
  expect_error(good + "\n" + R"({"conversations": [{"from": "human", "value": 5}]})" + "\n",
               ":3: conversations[0].value: must be a string");
  expect_error(good + R"({"conversations": {}})" + "\n", ":2: conversations: must be an array");
  expect_error(good + "{nope\n", ":2: not valid JSON");
  expect_error(good + R"({"id": 1})" + "\n", ":2: conversations: missing");
  const auto array = dir.write("bad.json", "[" + std::string(kRecords[0]) + R"(, {"conversations": [{"value": "x"}]}])");
  EXPECT_THAT([&] { read_sharegpt(array, nullptr, {}); },
              ::testing::ThrowsMessage<InputError>(HasSubstr(array.string() + ": [1]: conversations[0].from: must be a string")));
}

TEST(ShareGpt, PromptsCarryTheirOutputLengthRoundRobin) {
  TempDir dir;
  auto entries = std::make_shared<const std::vector<DatasetEntry>>(read_sharegpt(dir.write("d.jsonl", as_jsonl()), nullptr, {}));
  const auto source = make_dataset_prompts("test", entries);
  EXPECT_EQ(source->request_for(0).max_tokens, 5u);
  EXPECT_EQ(source->request_for(1).max_tokens, 2u);
  EXPECT_EQ(source->request_for(2).messages[0].content, "one two three");
  EXPECT_EQ(source->request_for(3).prompt_tokens_estimate, 7u);
}

// Multi-turn sessions: a conversation's later human turns are its session's next messages, with
// their replies' lengths; after them the session goes on with other conversations' first turns.
TEST(ShareGpt, LaterHumanTurnsAreTheSessionsNextMessages) {
  TempDir dir;
  const auto file = dir.write("d.jsonl", as_jsonl());
  EXPECT_TRUE(read_sharegpt(file, nullptr, {})[1].later.empty());  // kept only when asked for
  DatasetSelection s;
  s.later_turns = true;
  auto entries = std::make_shared<const std::vector<DatasetEntry>>(read_sharegpt(file, nullptr, s));
  ASSERT_EQ(entries->size(), 2u);
  ASSERT_EQ((*entries)[1].later.size(), 1u);
  EXPECT_EQ((*entries)[1].later[0].text, "later");
  const auto source = make_dataset_prompts("test", entries);
  EXPECT_EQ(source->turn_for(1, 0).messages[0].content, "w1 w2 w3 w4 w5 w6 w7");
  const harness::ChatRequest second = source->turn_for(1, 1);
  ASSERT_EQ(second.messages.size(), 1u);
  EXPECT_EQ(second.messages[0].content, "later");
  EXPECT_EQ(second.max_tokens, 1u);  // "z"
  EXPECT_EQ(second.prompt_tokens_estimate, 1u);
  // Beyond the conversation: another entry's first turn.
  const std::string third = source->turn_for(1, 2).messages[0].content;
  EXPECT_TRUE(third == "one two three" || third == "w1 w2 w3 w4 w5 w6 w7") << third;
  EXPECT_EQ(source->turn_for(0, 1).messages[0].content == "later", false);  // "a" has no later turn
}

TEST(ShareGpt, AMalformedLaterTurnIsAnErrorWhenLaterTurnsAreRead) {
  TempDir dir;
  const auto file = dir.write(
      "d.jsonl",
      R"({"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}, {"from": "human", "value": 3}, {"from": "gpt", "value": "b"}]})"
      "\n");
  EXPECT_EQ(read_sharegpt(file, nullptr, {}).size(), 1u);
  DatasetSelection s;
  s.later_turns = true;
  EXPECT_THAT([&] { read_sharegpt(file, nullptr, s); },
              ::testing::ThrowsMessage<InputError>(HasSubstr(":1: conversations[2].value: must be a string")));
}

}  // namespace
}  // namespace llmbench::load
