// The mock's Anthropic Messages API (POST /v1/messages) through the provider core, without a
// network: the exact event order of a stream (with and without the thinking phase), the whole
// message, Anthropic's error shape and statuses for bad input, keys, faults and rate limits.
#include "mock_provider/anthropic_wire.h"

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
using testing::header;
using testing::kT0;
using testing::named_events;
using testing::names;

std::string messages(bool stream, std::string extra = R"j(,"max_tokens":100)j") {
  return R"j({"model":"mock-model","messages":[{"role":"user","content":"Say hi please"}],"stream":)j" +
         std::string(stream ? "true" : "false") + extra + "}";
}

const RequestHeaders kVersion{.anthropic_version = "2023-06-01"};

RequestHeaders with_fault(const char* fault) {
  RequestHeaders h = kVersion;
  h.mock_fault = fault;
  return h;
}

MockConfig fixed(std::uint32_t tokens = 3) { return MockConfig::fixed_latency(50ms, 10ms, tokens); }

Collected post(Provider& provider, std::string body, RequestHeaders headers = kVersion, std::int64_t t0 = kT0) {
  return call(provider, {"/v1/messages", std::move(body), headers}, t0);
}

// {"type":"error","error":{"type":<type>,...}} with the given status.
void expect_error(const Collected& c, int status, std::string_view type) {
  EXPECT_EQ(c.head.status, status) << c.body;
  const json::value body = json::parse(c.body);
  EXPECT_EQ(body.at("type"), "error");
  EXPECT_EQ(body.at("error").at("type").as_string(), type) << c.body;
  EXPECT_FALSE(body.at("error").at("message").as_string().empty());
}

TEST(AnthropicWire, StreamHasTheMessagesApisEventOrder) {
  Provider provider(fixed(3));
  const Collected c = post(provider, messages(true));
  EXPECT_EQ(c.head.status, 200);
  EXPECT_EQ(c.head.content_type, "text/event-stream");
  EXPECT_FALSE(header(c.head, "request-id").empty());
  const auto events = named_events(c.body);
  EXPECT_EQ(names(events),
            (std::vector<std::string>{"message_start", "content_block_start", "ping", "content_block_delta",
                                      "content_block_delta", "content_block_delta", "content_block_stop",
                                      "message_delta", "message_stop"}));
  ASSERT_EQ(events.size(), 9u);
  const auto& message = events[0].data.at("message");
  EXPECT_EQ(message.at("role"), "assistant");
  EXPECT_EQ(message.at("content").as_array().size(), 0u);
  EXPECT_EQ(message.at("usage").at("input_tokens"), 4);  // 13 characters, about 4 per token
  EXPECT_EQ(events[1].data.at("content_block"), json::parse(R"j({"type":"text","text":""})j"));
  std::string text;
  for (int i = 3; i <= 5; ++i) {
    EXPECT_EQ(events[i].data.at("index"), 0);
    EXPECT_EQ(events[i].data.at("delta").at("type"), "text_delta");
    text += events[i].data.at("delta").at("text").as_string();
  }
  EXPECT_EQ(std::count(text.begin(), text.end(), ' '), 2) << text;
  EXPECT_EQ(events[7].data.at("delta").at("stop_reason"), "end_turn");
  EXPECT_EQ(events[7].data.at("usage").at("output_tokens"), 3);
  // Everything up to the first delta at TTFT, then one delta per ITL.
  ASSERT_EQ(c.pieces.size(), 3u);
  EXPECT_EQ(c.pieces[0].due_ns, kT0 + 50'000'000);
  EXPECT_EQ(c.pieces[2].due_ns, kT0 + 70'000'000);
  EXPECT_EQ(named_events(c.pieces[0].bytes).size(), 4u);
  EXPECT_EQ(c.body.find("[DONE]"), std::string::npos);
}

TEST(AnthropicWire, ThinkingBlockComesFirstAndUsageCountsIt) {
  MockConfig config = fixed(2);
  config.reasoning_tokens = Distribution::fixed(3);
  Provider provider(config);
  const auto events = named_events(post(provider, messages(true)).body);
  EXPECT_EQ(names(events),
            (std::vector<std::string>{"message_start", "content_block_start", "ping", "content_block_delta",
                                      "content_block_delta", "content_block_delta", "content_block_delta",
                                      "content_block_stop", "content_block_start", "content_block_delta",
                                      "content_block_delta", "content_block_stop", "message_delta",
                                      "message_stop"}));
  ASSERT_EQ(events.size(), 14u);
  EXPECT_EQ(events[1].data.at("content_block").at("type"), "thinking");
  for (int i = 3; i <= 5; ++i) EXPECT_EQ(events[i].data.at("delta").at("type"), "thinking_delta");
  EXPECT_EQ(events[6].data.at("delta").at("type"), "signature_delta");
  EXPECT_EQ(events[8].data.at("index"), 1);
  EXPECT_EQ(events[8].data.at("content_block").at("type"), "text");
  EXPECT_EQ(events[9].data.at("delta").at("type"), "text_delta");
  EXPECT_NE(events[9].data.at("delta").at("text").as_string().front(), ' ');
  EXPECT_EQ(events[12].data.at("usage").at("output_tokens"), 5);

  // A whole message: the thinking block before the text; max_tokens cuts with its own reason.
  const json::value whole = json::parse(post(provider, messages(false, R"j(,"max_tokens":1)j")).body);
  EXPECT_EQ(whole.at("type"), "message");
  const auto& content = whole.at("content").as_array();
  ASSERT_EQ(content.size(), 2u);
  EXPECT_EQ(content[0].at("type"), "thinking");
  EXPECT_EQ(content[1].at("type"), "text");
  EXPECT_EQ(whole.at("stop_reason"), "max_tokens");
  EXPECT_EQ(whole.at("usage").at("input_tokens"), 4);
  EXPECT_EQ(whole.at("usage").at("output_tokens"), 4);  // 3 thinking + the 1 answer token max_tokens leaves
}

TEST(AnthropicWire, WholeMessageHasTextStopReasonAndUsage) {
  Provider provider(fixed(3));
  const Collected c = post(provider, messages(false));
  EXPECT_EQ(c.head.status, 200);
  EXPECT_EQ(c.head.content_type, "application/json");
  const json::value body = json::parse(c.body);
  EXPECT_EQ(body.at("role"), "assistant");
  ASSERT_EQ(body.at("content").as_array().size(), 1u);
  const auto text = body.at("content").as_array()[0].at("text").as_string();
  EXPECT_EQ(std::count(text.begin(), text.end(), ' '), 2);
  EXPECT_EQ(body.at("stop_reason"), "end_turn");
  EXPECT_EQ(body.at("usage").at("output_tokens"), 3);
  EXPECT_EQ(c.pieces.back().due_ns, kT0 + 70'000'000);
}

TEST(AnthropicWire, BadRequestsGetAnthropicsErrorShape) {
  Provider provider(fixed());
  // No anthropic-version header; no max_tokens (required by the API); no messages; bad JSON.
  expect_error(post(provider, messages(false), {}), 400, "invalid_request_error");
  const Collected no_max = post(provider, messages(false, ""));
  expect_error(no_max, 400, "invalid_request_error");
  EXPECT_NE(no_max.body.find("max_tokens"), std::string::npos);
  expect_error(post(provider, R"j({"model":"mock-model","max_tokens":5})j"), 400, "invalid_request_error");
  expect_error(post(provider, "{not json"), 400, "invalid_request_error");
}

TEST(AnthropicWire, KeyTravelsInXApiKeyAndIsNeverEchoed) {
  MockConfig config = fixed();
  config.api_key = "sk-ant-secret";
  Provider provider(config);
  expect_error(post(provider, messages(false)), 401, "authentication_error");
  RequestHeaders wrong = kVersion;
  wrong.x_api_key = "sk-ant-other";
  const Collected refused = post(provider, messages(false), wrong);
  expect_error(refused, 401, "authentication_error");
  EXPECT_EQ(refused.body.find("sk-ant"), std::string::npos);
  RequestHeaders right = kVersion;
  right.x_api_key = "sk-ant-secret";
  EXPECT_EQ(post(provider, messages(false), right).head.status, 200);
  RequestHeaders bearer = kVersion;  // the SDK's authToken option
  bearer.authorization = "Bearer sk-ant-secret";
  EXPECT_EQ(post(provider, messages(false), bearer).head.status, 200);
}

TEST(AnthropicWire, FaultsAndLimitsAnswerWithAnthropicsStatusesAndTypes) {
  Provider provider(fixed(6));
  const Collected r429 = post(provider, messages(true), with_fault("429"));
  expect_error(r429, 429, "rate_limit_error");
  EXPECT_EQ(header(r429.head, "retry-after"), "1");
  expect_error(post(provider, messages(true), with_fault("500")), 500, "api_error");
  // An overloaded server is Anthropic's 529.
  expect_error(post(provider, messages(false), with_fault("503")), 529, "overloaded_error");
  expect_error(post(provider, messages(false), with_fault("stream_error")), 500, "api_error");

  // Mid-stream: half the tokens, then an error event and no message_stop.
  const auto events = named_events(post(provider, messages(true), with_fault("stream_error")).body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().name, "error");
  EXPECT_EQ(events.back().data.at("error").at("type"), "api_error");
  EXPECT_NE(names(events).back(), "message_stop");
  const Collected drop = post(provider, messages(true), with_fault("drop"));
  EXPECT_TRUE(drop.dropped);
  EXPECT_EQ(drop.body.find("message_stop"), std::string::npos);

  MockConfig limited = fixed();
  limited.rate_limit_rpm = 1;
  Provider rpm(limited);
  EXPECT_EQ(post(rpm, messages(false)).head.status, 200);
  const Collected refused = post(rpm, messages(false));
  expect_error(refused, 429, "rate_limit_error");
  EXPECT_EQ(header(refused.head, "retry-after"), "60");

  MockConfig one_slot = fixed();
  one_slot.decode_slots = 1;
  one_slot.max_waiting = 0;
  Provider full(one_slot);
  IncomingRequest in{"POST", "/v1/messages", "", kVersion};
  const std::string body = messages(true);
  in.body = body;
  const auto running = full.handle(in, kT0);  // holds the only slot
  expect_error(post(full, messages(false)), 429, "rate_limit_error");
}

}  // namespace
}  // namespace llmbench::mock
