// The harness's Anthropic Messages API: request body, headers (x-api-key, anthropic-version),
// and the decoding of each stream event and of a whole message, on the shapes the API and its
// SDK use (docs/clients.md "APIs").
#include "harness/client/anthropic_wire.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "harness/client/api_flavor.h"
#include "harness/client/client_context.h"

namespace llmbench::harness {
namespace {

Endpoint anthropic_endpoint() {
  Endpoint e;
  e.base_url = "https://api.anthropic.com";
  e.model = "claude-test";
  e.flavor = ApiFlavor::anthropic_messages;
  return e;
}

TEST(AnthropicBody, SystemGoesTopLevelAndMaxTokensIsAlwaysSent) {
  ChatRequest request;
  request.messages = {{"system", "be terse"}, {"user", "say \"hi\""}};
  request.seed = 42;
  request.temperature = 0.5;
  const auto body = boost::json::parse(build_request_body(anthropic_endpoint(), request, true)).as_object();
  EXPECT_EQ(body.at("model"), "claude-test");
  EXPECT_EQ(body.at("system"), "be terse");
  ASSERT_EQ(body.at("messages").as_array().size(), 1u);
  EXPECT_EQ(body.at("messages").as_array()[0].at("role"), "user");
  EXPECT_EQ(body.at("messages").as_array()[0].at("content"), "say \"hi\"");
  EXPECT_TRUE(body.at("stream").as_bool());
  // Required by the API: the default when the request leaves the length to the server.
  EXPECT_EQ(body.at("max_tokens").to_number<std::uint32_t>(), kAnthropicDefaultMaxTokens);
  EXPECT_EQ(body.at("temperature").as_double(), 0.5);
  EXPECT_FALSE(body.contains("seed"));  // the API has none
  EXPECT_FALSE(body.contains("stream_options"));

  request.max_tokens = 16;
  request.messages = {{"user", "hi"}};
  const auto second = boost::json::parse(build_request_body(anthropic_endpoint(), request, false)).as_object();
  EXPECT_EQ(second.at("max_tokens").to_number<int>(), 16);
  EXPECT_FALSE(second.contains("system"));
  EXPECT_FALSE(second.at("stream").as_bool());
}

TEST(AnthropicUrl, MessagesUnderV1) {
  Endpoint e = anthropic_endpoint();
  EXPECT_EQ(request_url(e), "https://api.anthropic.com/v1/messages");
  e.base_url = "http://127.0.0.1:9/v1/";
  EXPECT_EQ(request_url(e), "http://127.0.0.1:9/v1/messages");
}

std::vector<std::string> header_lines(const ClientContext& context, bool stream) {
  std::vector<std::string> lines;
  for (const curl_slist* line = context.common_headers(stream); line != nullptr; line = line->next) {
    lines.emplace_back(line->data);
  }
  return lines;
}

bool has(const std::vector<std::string>& lines, std::string_view line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(AnthropicHeaders, KeyInXApiKeyWithTheVersionAndNoBearer) {
  ::setenv("LLMBENCH_ANTHROPIC_WIRE_TEST_KEY", "sk-ant-test-1234", 1);
  Endpoint e = anthropic_endpoint();
  e.api_key_env = "LLMBENCH_ANTHROPIC_WIRE_TEST_KEY";
  const ClientContext context(e);
  const auto lines = header_lines(context, true);
  EXPECT_TRUE(has(lines, "x-api-key: sk-ant-test-1234"));
  EXPECT_TRUE(has(lines, "anthropic-version: 2023-06-01"));
  EXPECT_TRUE(has(lines, "Accept: text/event-stream"));
  for (const auto& line : lines) EXPECT_FALSE(line.starts_with("Authorization")) << line;
  // Without a key the version still goes out (the API refuses a request without it).
  const ClientContext keyless(anthropic_endpoint());
  EXPECT_TRUE(has(header_lines(keyless, false), "anthropic-version: 2023-06-01"));
  // The key is redacted from anything the harness writes.
  EXPECT_EQ(context.redact("bad key sk-ant-test-1234"), "bad key ***");
}

DecodedChunk decode(ChunkDecoder& decoder, std::string_view json) {
  const auto chunk = decoder.decode_chunk(ApiFlavor::anthropic_messages, json);
  EXPECT_TRUE(chunk) << json;
  return chunk.value_or(DecodedChunk{});
}

TEST(AnthropicDecoder, EveryStreamEventAsTheApiSendsIt) {
  ChunkDecoder decoder;
  const DecodedChunk start = decode(
      decoder,
      R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}})");
  EXPECT_TRUE(start.has_completion);
  EXPECT_EQ(start.input_tokens, 25u);
  EXPECT_FALSE(start.has_usage);  // its output_tokens is a placeholder
  EXPECT_TRUE(start.content.empty());

  const DecodedChunk block = decode(decoder, R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
  EXPECT_TRUE(block.content.empty());
  EXPECT_FALSE(block.done);
  EXPECT_TRUE(decode(decoder, R"({"type": "ping"})").content.empty());

  EXPECT_EQ(decode(decoder, R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})").content,
            "Hello");
  const DecodedChunk thinking =
      decode(decoder, R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see"}})");
  EXPECT_EQ(thinking.reasoning, "Let me see");
  EXPECT_TRUE(thinking.content.empty());
  const DecodedChunk signature =
      decode(decoder, R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}})");
  EXPECT_TRUE(signature.content.empty());
  EXPECT_TRUE(signature.reasoning.empty());
  // Tool input is no generated text for the benchmark's token count.
  EXPECT_TRUE(decode(decoder, R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\""}})")
                  .content.empty());

  const DecodedChunk delta = decode(
      decoder,
      R"({"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":15}})");
  EXPECT_EQ(delta.finish_reason, "max_tokens");
  EXPECT_TRUE(delta.has_usage);
  EXPECT_EQ(delta.completion_tokens, 15u);
  EXPECT_FALSE(delta.input_tokens);
  EXPECT_FALSE(delta.done);
  // Newer servers repeat the input count in message_delta.
  EXPECT_EQ(decode(decoder, R"({"type":"message_delta","delta":{},"usage":{"input_tokens":9,"output_tokens":2}})").input_tokens,
            9u);

  EXPECT_TRUE(decode(decoder, R"({"type":"message_stop"})").done);
}

TEST(AnthropicDecoder, ErrorEventAndErrorBody) {
  ChunkDecoder decoder;
  const DecodedChunk error =
      decode(decoder, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_TRUE(error.is_error);
  EXPECT_EQ(error.error_message, "Overloaded");
  const auto body = decoder.decode_response(ApiFlavor::anthropic_messages,
                                            R"({"type":"error","error":{"type":"api_error","message":"boom"}})");
  ASSERT_TRUE(body);
  EXPECT_TRUE(body->is_error);
}

TEST(AnthropicDecoder, WholeMessage) {
  ChunkDecoder decoder;
  const auto message = decoder.decode_response(
      ApiFlavor::anthropic_messages,
      R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"hmm","signature":"x"},{"type":"text","text":"Hi there"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":6}})");
  ASSERT_TRUE(message);
  EXPECT_TRUE(message->has_completion);
  EXPECT_EQ(message->content, "Hi there");
  EXPECT_EQ(message->reasoning, "hmm");
  EXPECT_EQ(message->finish_reason, "end_turn");
  EXPECT_TRUE(message->has_usage);
  EXPECT_EQ(message->prompt_tokens, 12u);
  EXPECT_EQ(message->completion_tokens, 6u);
  // A 2xx JSON object that is no message is no completion.
  const auto other = decoder.decode_response(ApiFlavor::anthropic_messages, R"({"status":"ok"})");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_completion);
  EXPECT_FALSE(decoder.decode_response(ApiFlavor::anthropic_messages, R"({"type":"message","content":"x"})")->has_completion);
}

}  // namespace
}  // namespace llmbench::harness
