// The mock's OpenAI Responses API (POST /v1/responses) through the provider core, without a
// network: the numbered event sequence the official SDK checks (items and content parts added,
// deltas, *.done repeating the whole text, response.completed with usage), the reasoning item,
// the whole response object, max_output_tokens, and OpenAI-shaped errors and faults.
#include "mock_provider/responses_wire.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/mock_provider/named_event_driver.h"

namespace llmbench::mock {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::call;
using testing::Collected;
using testing::kT0;
using testing::named_events;
using testing::names;

std::string input(bool stream, std::string extra = "") {
  return R"j({"model":"mock-model","input":"Say hi please","stream":)j" + std::string(stream ? "true" : "false") +
         extra + "}";
}

MockConfig fixed(std::uint32_t tokens = 3) { return MockConfig::fixed_latency(50ms, 10ms, tokens); }

Collected post(Provider& provider, std::string body, RequestHeaders headers = {}) {
  return call(provider, {"/v1/responses", std::move(body), headers});
}

TEST(ResponsesWire, StreamNumbersItsEventsAndRepeatsTheTextWhenDone) {
  Provider provider(fixed(3));
  const Collected c = post(provider, input(true));
  EXPECT_EQ(c.head.status, 200);
  EXPECT_EQ(c.head.content_type, "text/event-stream");
  const auto events = named_events(c.body);
  EXPECT_EQ(names(events),
            (std::vector<std::string>{"response.created", "response.in_progress", "response.output_item.added",
                                      "response.content_part.added", "response.output_text.delta",
                                      "response.output_text.delta", "response.output_text.delta",
                                      "response.output_text.done", "response.content_part.done",
                                      "response.output_item.done", "response.completed"}));
  ASSERT_EQ(events.size(), 11u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].data.at("sequence_number"), i);
  EXPECT_EQ(events[0].data.at("response").at("status"), "in_progress");
  EXPECT_EQ(events[0].data.at("response").at("usage"), nullptr);
  const auto item_id = events[2].data.at("item").at("id");
  std::string text;
  for (int i = 4; i <= 6; ++i) {
    EXPECT_EQ(events[i].data.at("item_id"), item_id);
    EXPECT_EQ(events[i].data.at("output_index"), 0);
    text += events[i].data.at("delta").as_string();
  }
  EXPECT_EQ(events[7].data.at("text").as_string(), text);
  EXPECT_EQ(events[9].data.at("item").at("content").as_array()[0].at("text").as_string(), text);
  const auto& response = events[10].data.at("response");
  EXPECT_EQ(response.at("status"), "completed");
  EXPECT_EQ(response.at("id"), events[0].data.at("response").at("id"));
  EXPECT_EQ(response.at("output").as_array()[0].at("content").as_array()[0].at("text").as_string(), text);
  EXPECT_EQ(response.at("usage").at("input_tokens"), 4);
  EXPECT_EQ(response.at("usage").at("output_tokens"), 3);
  EXPECT_EQ(response.at("usage").at("total_tokens"), 7);
  // The events before the first delta go with it at TTFT; then one delta per ITL.
  ASSERT_EQ(c.pieces.size(), 3u);
  EXPECT_EQ(c.pieces[0].due_ns, kT0 + 50'000'000);
  EXPECT_EQ(c.pieces[2].due_ns, kT0 + 70'000'000);
}

TEST(ResponsesWire, ReasoningItemComesFirstAndUsageCountsIt) {
  MockConfig config = fixed(2);
  config.reasoning_tokens = Distribution::fixed(3);
  Provider provider(config);
  const auto events = named_events(post(provider, input(true)).body);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[2].data.at("item").at("type"), "reasoning");
  EXPECT_EQ(events[3].data.at("part").at("type"), "reasoning_text");
  int reasoning = 0, answer = 0;
  for (const auto& e : events) {
    if (e.name == "response.reasoning_text.delta") {
      ++reasoning;
      EXPECT_EQ(answer, 0) << "reasoning after the answer";
      EXPECT_EQ(e.data.at("output_index"), 0);
    }
    if (e.name == "response.output_text.delta") {
      ++answer;
      EXPECT_EQ(e.data.at("output_index"), 1);
    }
  }
  EXPECT_EQ(reasoning, 3);
  EXPECT_EQ(answer, 2);
  const auto& usage = events.back().data.at("response").at("usage");
  EXPECT_EQ(usage.at("output_tokens"), 5);
  EXPECT_EQ(usage.at("output_tokens_details").at("reasoning_tokens"), 3);
  EXPECT_EQ(events.back().data.at("response").at("output").as_array().size(), 2u);
}

TEST(ResponsesWire, WholeResponseAndMaxOutputTokens) {
  Provider provider(fixed(3));
  const json::value whole = json::parse(post(provider, input(false)).body);
  EXPECT_EQ(whole.at("object"), "response");
  EXPECT_EQ(whole.at("status"), "completed");
  const auto& item = whole.at("output").as_array()[0];
  EXPECT_EQ(item.at("type"), "message");
  const auto text = item.at("content").as_array()[0].at("text").as_string();
  EXPECT_EQ(std::count(text.begin(), text.end(), ' '), 2);
  EXPECT_EQ(whole.at("usage").at("output_tokens"), 3);

  const json::value cut = json::parse(post(provider, input(false, R"j(,"max_output_tokens":2)j")).body);
  EXPECT_EQ(cut.at("status"), "incomplete");
  EXPECT_EQ(cut.at("incomplete_details").at("reason"), "max_output_tokens");
  EXPECT_EQ(cut.at("usage").at("output_tokens"), 2);
  EXPECT_EQ(names(named_events(post(provider, input(true, R"j(,"max_output_tokens":2)j")).body)).back(),
            "response.incomplete");
}

TEST(ResponsesWire, BadInputAndFaultsAnswerInOpenAIsShape) {
  Provider provider(fixed(6));
  const Collected missing = post(provider, R"j({"model":"mock-model"})j");
  EXPECT_EQ(missing.head.status, 400);
  EXPECT_EQ(json::parse(missing.body).at("error").at("param"), "input");
  EXPECT_EQ(post(provider, R"j({"model":"mock-model","input":5})j").head.status, 400);
  // Input items with content parts count towards the prompt.
  EXPECT_EQ(post(provider, R"j({"model":"mock-model","input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]}]})j")
                .head.status,
            200);
  EXPECT_EQ(post(provider, input(true), {.mock_fault = "429"}).head.status, 429);
  EXPECT_EQ(post(provider, input(false), {.mock_fault = "503"}).head.status, 503);
  const auto events = named_events(post(provider, input(true), {.mock_fault = "stream_error"}).body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().name, "error");
  EXPECT_NE(std::string(events.back().data.at("message").as_string()).find("mock fault"), std::string::npos);
  EXPECT_TRUE(post(provider, input(true), {.mock_fault = "drop"}).dropped);
}

}  // namespace
}  // namespace llmbench::mock
