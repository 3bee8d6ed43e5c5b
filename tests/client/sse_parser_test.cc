#include "harness/client/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmbench::harness {
namespace {

// Verbatim shape of a recorded OpenAI stream (openai-node ChatCompletionStream snapshot),
// with a keep-alive comment added as servers send them.
const std::string kRecordedOpenAiStream =
    "data: {\"id\":\"chatcmpl-9tZX\",\"object\":\"chat.completion.chunk\",\"created\":1723031664,"
    "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
    "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    ": keep-alive\n\n"
    "data: {\"id\":\"chatcmpl-9tZX\",\"object\":\"chat.completion.chunk\",\"created\":1723031664,"
    "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"San\"},\"logprobs\":null,"
    "\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-9tZX\",\"object\":\"chat.completion.chunk\",\"created\":1723031664,"
    "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" Francisco\"},"
    "\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-9tZX\",\"object\":\"chat.completion.chunk\",\"created\":1723031664,"
    "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":"
    "\"stop\"}]}\n\n"
    "data: {\"id\":\"chatcmpl-9tZX\",\"object\":\"chat.completion.chunk\",\"created\":1723031664,"
    "\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":17,\"completion_tokens\":2,"
    "\"total_tokens\":19}}\n\n"
    "data: [DONE]\n\n";

struct Collected {
  std::vector<std::string> events;
  std::vector<std::string> data;
};

Collected parse_in_pieces(const std::string& stream, const std::vector<std::size_t>& cuts) {
  SseParser parser;
  Collected out;
  std::size_t from = 0;
  auto on_event = [&](const SseEvent& event) {
    out.events.emplace_back(event.event);
    out.data.emplace_back(event.data);
    return true;
  };
  for (std::size_t cut : cuts) {
    EXPECT_TRUE(parser.feed(std::string_view(stream).substr(from, cut - from), on_event));
    from = cut;
  }
  EXPECT_TRUE(parser.feed(std::string_view(stream).substr(from), on_event));
  EXPECT_FALSE(parser.has_partial_event());
  return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

TEST(SseParser, RecordedStreamInOnePieceYieldsEveryDataEventAndSkipsComments) {
  const Collected all = parse_in_pieces(kRecordedOpenAiStream, {});
  ASSERT_EQ(all.data.size(), 6u);
  EXPECT_NE(all.data[1].find("\"San\""), std::string::npos);
  EXPECT_NE(all.data[4].find("\"usage\""), std::string::npos);
  EXPECT_EQ(all.data[5], "[DONE]");
  for (const auto& name : all.events) EXPECT_EQ(name, "");
}

TEST(SseParser, EverySingleByteSplitGivesTheSameEvents) {
  const Collected whole = parse_in_pieces(kRecordedOpenAiStream, {});
  for (std::size_t cut = 1; cut < kRecordedOpenAiStream.size(); ++cut) {
    const Collected split = parse_in_pieces(kRecordedOpenAiStream, {cut});
    ASSERT_EQ(split.data, whole.data) << "split at byte " << cut;
  }
}

TEST(SseParser, ByteByByteFeedingGivesTheSameEvents) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < kRecordedOpenAiStream.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(parse_in_pieces(kRecordedOpenAiStream, cuts).data,
            parse_in_pieces(kRecordedOpenAiStream, {}).data);
}

TEST(SseParser, CrlfAndBareCrLineEndingsAtEverySplitGiveTheSameEvents) {
  const Collected whole = parse_in_pieces(kRecordedOpenAiStream, {});
  for (const std::string ending : {"\r\n", "\r"}) {
    const std::string converted = replace_all(kRecordedOpenAiStream, "\n", ending);
    for (std::size_t cut = 1; cut < converted.size(); ++cut) {
      ASSERT_EQ(parse_in_pieces(converted, {cut}).data, whole.data)
          << "ending " << (ending == "\r" ? "CR" : "CRLF") << " split at " << cut;
    }
  }
}

TEST(SseParser, MultiLineDataIsJoinedWithNewlinesAndEventNamesAreKept) {
  const Collected out = parse_in_pieces("event: error\ndata: first\ndata:second\ndata\n\n", {});
  ASSERT_EQ(out.data.size(), 1u);
  EXPECT_EQ(out.events[0], "error");
  EXPECT_EQ(out.data[0], "first\nsecond\n");  // a bare "data" field is an empty data line
}

TEST(SseParser, EventWithoutDataIsNotDispatchedAndIdRetryAreIgnored) {
  const Collected out = parse_in_pieces("event: ping\n\nid: 7\nretry: 10\ndata: x\n\n", {});
  ASSERT_EQ(out.data.size(), 1u);
  EXPECT_EQ(out.data[0], "x");
  EXPECT_EQ(out.events[0], "");  // the event name of the undispatched ping does not leak
}

TEST(SseParser, StreamCutMidEventLeavesAPartialEvent) {
  SseParser parser;
  int events = 0;
  EXPECT_TRUE(
      parser.feed("data: {\"a\":1}\n\ndata: {\"b\"", [&](const SseEvent&) { return ++events, true; }));
  EXPECT_EQ(events, 1);
  EXPECT_TRUE(parser.has_partial_event());
  parser.reset();
  EXPECT_FALSE(parser.has_partial_event());
}

TEST(SseParser, OversizeEventIsRejected) {
  SseParser parser(64);
  const std::string big = "data: " + std::string(100, 'x');
  EXPECT_FALSE(parser.feed(big, [](const SseEvent&) { return true; }));
  SseParser multi_line(64);
  std::string lines;
  for (int i = 0; i < 20; ++i) lines += "data: 0123456789\n";
  EXPECT_FALSE(multi_line.feed(lines, [](const SseEvent&) { return true; }));
}

TEST(SseParser, CallbackReturningFalseStopsParsing) {
  SseParser parser;
  int events = 0;
  EXPECT_FALSE(parser.feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent&) { return ++events, false; }));
  EXPECT_EQ(events, 1);
}

TEST(SseParser, GarbageWithoutFieldsDispatchesNothing) {
  const Collected out = parse_in_pieces("\x01\x02garbage\nnot a field\n\n", {});
  EXPECT_TRUE(out.data.empty());
}

}  // namespace
}  // namespace llmbench::harness

namespace llmbench::harness {
namespace {

// Regression (fuzz_sse_parser, tests/fuzz/crashes/sse_parser/): an empty read between the CR
// and the LF of a CRLF must not turn the LF into a second, blank line that dispatches early.
TEST(SseParser, EmptyReadInsideASplitCrlfIsNotABlankLine) {
  SseParser parser;
  int events = 0;
  auto count = [&](const SseEvent&) { return ++events, true; };
  EXPECT_TRUE(parser.feed("data: x\r", count));
  EXPECT_TRUE(parser.feed("", count));
  EXPECT_TRUE(parser.feed("\n", count));
  EXPECT_EQ(events, 0);
  EXPECT_TRUE(parser.has_partial_event());
  EXPECT_TRUE(parser.feed("\r\n", count));
  EXPECT_EQ(events, 1);
}

}  // namespace
}  // namespace llmbench::harness
