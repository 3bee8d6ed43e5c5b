#include "harness/load/trace_replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/input_error.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::load {
namespace {

using ::testing::HasSubstr;
using tokenizer::testing::TempDir;

constexpr const char* kTrace =
    R"({"timestamp": 0, "input_length": 700, "output_length": 10, "hash_ids": [46, 47]})"
    "\n"
    R"({"timestamp": 250, "input_length": 520, "output_length": 3, "hash_ids": [46, 99]})"
    "\n\n"
    R"({"timestamp": 250, "input_length": 30, "output_length": 7})"
    "\n"
    R"({"timestamp": 1000, "input_length": 512, "output_length": 1, "hash_ids": [47]})"
    "\n";

TEST(TraceReplay, ReadsMooncakeLines) {
  TempDir dir;
  const Trace trace = read_trace(dir.write("t.jsonl", kTrace));
  ASSERT_EQ(trace->size(), 4u);
  EXPECT_EQ((*trace)[1].timestamp_ms, 250);
  EXPECT_EQ((*trace)[1].input_length, 520u);
  EXPECT_EQ((*trace)[1].hash_ids, (std::vector<std::uint64_t>{46, 99}));
  EXPECT_TRUE((*trace)[2].hash_ids.empty());
  EXPECT_EQ((*trace)[2].line, 4u);  // blank lines are skipped but counted
  EXPECT_DOUBLE_EQ(trace_rate(*trace, 1), 4.0);  // 4 requests over 1 s
  EXPECT_DOUBLE_EQ(trace_rate(*trace, 2), 8.0);
}

TEST(TraceReplay, ArrivalsAreTheTimestampsAtTheSpeed) {
  TempDir dir;
  const Trace trace = read_trace(dir.write("t.jsonl", kTrace));
  const auto arrivals = make_trace_arrivals(trace, 2.0);
  EXPECT_EQ(arrivals->next_offset_ns(), 0);
  EXPECT_EQ(arrivals->next_offset_ns(), 125'000'000);
  EXPECT_EQ(arrivals->next_offset_ns(), 125'000'000);
  EXPECT_EQ(arrivals->next_offset_ns(), 500'000'000);
  EXPECT_GT(arrivals->next_offset_ns(), std::int64_t{1} << 60);  // past the end: never due
}

TEST(TraceReplay, SharedBlocksAreTheSameTextAndLengthsAreExact) {
  TempDir dir;
  const Trace trace = read_trace(dir.write("t.jsonl", kTrace));
  const auto t = tokenizer::load_tokenizer(tokenizer::testing::kLlama3TokenizerJson);
  const auto prompts = make_trace_prompts(trace, t, 5);
  for (std::uint64_t i = 0; i < trace->size(); ++i) {
    const auto request = prompts->request_for(i);
    EXPECT_EQ(t->count(request.messages[0].content), (*trace)[i].input_length) << i;
    EXPECT_EQ(request.max_tokens, (*trace)[i].output_length);
    EXPECT_EQ(request.prompt_tokens_estimate, (*trace)[i].input_length);
  }
  // Requests 0 and 1 share block 46: the same 512 tokens open both prompts, so a prefix cache
  // can reuse them; request 3 is block 47 alone, the second block of request 0.
  const auto ids0 = t->encode(prompts->request_for(0).messages[0].content);
  const auto ids1 = t->encode(prompts->request_for(1).messages[0].content);
  const auto ids3 = t->encode(prompts->request_for(3).messages[0].content);
  EXPECT_TRUE(std::equal(ids0.begin(), ids0.begin() + 512, ids1.begin()));
  EXPECT_NE(ids0[512], ids1[512]);
  EXPECT_NE(ids3[0], ids0[0]);
  EXPECT_EQ(prompts->request_for(2).messages[0].content, prompts->request_for(6).messages[0].content);  // wraps
}

TEST(TraceReplay, WithoutATokenizerATokenIsAWord) {
  TempDir dir;
  const auto prompts = make_trace_prompts(read_trace(dir.write("t.jsonl", kTrace)), nullptr, 5);
  EXPECT_EQ(estimate_tokens(prompts->request_for(0).messages[0].content), 700u);
  EXPECT_EQ(prompts->request_for(0).messages[0].content.substr(0, 200),
            prompts->request_for(1).messages[0].content.substr(0, 200));
}

TEST(TraceReplay, MalformedLinesNameTheLineAndField) {
  TempDir dir;
  const auto expect_error = [&](const std::string& text, const std::string& message) {
    const auto file = dir.write("bad.jsonl", text);
    EXPECT_THAT([&] { read_trace(file); }, ::testing::ThrowsMessage<InputError>(HasSubstr(file.string() + message)));
  };
  const std::string ok = R"({"timestamp": 5, "input_length": 1, "output_length": 1})" "\n";
  expect_error(ok + R"({"timestamp": 4, "input_length": 1, "output_length": 1})", ":2: timestamp: goes backwards (4 after 5 on line 1)");
  expect_error(ok + R"({"timestamp": 6, "output_length": 1})", ":2: input_length: missing");
  expect_error(ok + R"({"timestamp": 6, "input_length": -3, "output_length": 1})", ":2: input_length: must be an integer");
  expect_error(ok + R"({"timestamp": 6, "input_length": 1, "output_length": 0})", ":2: output_length: must be at least 1");
  expect_error(ok + R"({"timestamp": 6, "input_length": 1, "output_length": 1, "hash_ids": [1, "x"]})",
               ":2: hash_ids[1]: must be a non-negative integer");
  expect_error("", ": no requests in the trace");
}

}  // namespace
}  // namespace llmbench::load
