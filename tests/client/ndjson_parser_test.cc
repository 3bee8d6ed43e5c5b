#include "harness/client/ndjson_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmbench::harness {
namespace {

// Shape of a recorded Ollama /api/chat stream (ollama docs/api.md).
const std::string kRecordedOllamaStream =
    "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":"
    "\"assistant\",\"content\":\"The\"},\"done\":false}\n"
    "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.4Z\",\"message\":{\"role\":\"assistant\","
    "\"content\":\" sky\"},\"done\":false}\n"
    "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"message\":{\"role\":"
    "\"assistant\","
    "\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":4883583458,\"load_"
    "duration\":"
    "1334875,\"prompt_eval_count\":26,\"prompt_eval_duration\":342546000,\"eval_count\":282,"
    "\"eval_duration\":4535599000}\n";

std::vector<std::string> lines_of(const std::string& stream, const std::vector<std::size_t>& cuts) {
  NdjsonParser parser;
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  };
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    EXPECT_TRUE(parser.feed(std::string_view(stream).substr(from, cut - from), on_line));
    from = cut;
  }
  EXPECT_TRUE(parser.feed(std::string_view(stream).substr(from), on_line));
  EXPECT_FALSE(parser.has_partial_line());
  return lines;
}

TEST(NdjsonParser, RecordedStreamYieldsOneCallbackPerLine) {
  const auto lines = lines_of(kRecordedOllamaStream, {});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("\"The\""), std::string::npos);
  EXPECT_NE(lines[2].find("\"eval_count\":282"), std::string::npos);
}

TEST(NdjsonParser, EverySplitAndByteByByteGiveTheSameLines) {
  const auto whole = lines_of(kRecordedOllamaStream, {});
  std::vector<std::size_t> every;
  for (std::size_t cut = 1; cut < kRecordedOllamaStream.size(); ++cut) {
    ASSERT_EQ(lines_of(kRecordedOllamaStream, {cut}), whole) << "split at " << cut;
    every.push_back(cut);
  }
  EXPECT_EQ(lines_of(kRecordedOllamaStream, every), whole);
}

TEST(NdjsonParser, CrlfBlankLinesAndSurroundingSpaceAreTolerated) {
  const auto lines = lines_of("{\"a\":1}\r\n\r\n  \n {\"b\":2} \r\n", {});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "{\"a\":1}");
  EXPECT_EQ(lines[1], "{\"b\":2}");
}

TEST(NdjsonParser, UnterminatedLastLineIsPartialUntilFlushed) {
  NdjsonParser parser;
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line) { return lines.emplace_back(line), true; };
  EXPECT_TRUE(parser.feed("{\"a\":1}\n{\"done\":true}", on_line));
  EXPECT_EQ(lines.size(), 1u);
  EXPECT_TRUE(parser.has_partial_line());
  EXPECT_TRUE(parser.flush(on_line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "{\"done\":true}");
  EXPECT_FALSE(parser.has_partial_line());
}

TEST(NdjsonParser, OversizeLineIsRejected) {
  NdjsonParser parser(16);
  EXPECT_FALSE(parser.feed(std::string(40, 'x'), [](std::string_view) { return true; }));
  NdjsonParser split(16);
  EXPECT_TRUE(split.feed(std::string(10, 'x'), [](std::string_view) { return true; }));
  EXPECT_FALSE(split.feed(std::string(10, 'x') + "\n", [](std::string_view) { return true; }));
}

TEST(NdjsonParser, CallbackReturningFalseStops) {
  NdjsonParser parser;
  int n = 0;
  EXPECT_FALSE(parser.feed("1\n2\n3\n", [&](std::string_view) { return ++n, false; }));
  EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace llmbench::harness
