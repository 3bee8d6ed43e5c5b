// The harness's OpenAI Responses API: request body and the decoding of its stream events and
// whole response object, on the shapes the API and its SDK use (docs/clients.md "APIs").
#include "harness/client/responses_wire.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/client/api_flavor.h"

namespace llmbench::harness {
namespace {

TEST(ResponsesBody, InputItemsAndMaxOutputTokens) {
  Endpoint e;
  e.model = "gpt-test";
  e.flavor = ApiFlavor::openai_responses;
  ChatRequest request;
  request.messages = {{"system", "be terse"}, {"user", "say \"hi\""}};
  request.max_tokens = 32;
  request.seed = 7;
  request.temperature = 0.2;
  const auto body = boost::json::parse(build_request_body(e, request, true)).as_object();
  EXPECT_EQ(body.at("model"), "gpt-test");
  const auto& input = body.at("input").as_array();
  ASSERT_EQ(input.size(), 2u);
  EXPECT_EQ(input[0].at("role"), "system");
  EXPECT_EQ(input[1].at("content"), "say \"hi\"");
  EXPECT_TRUE(body.at("stream").as_bool());
  EXPECT_EQ(body.at("max_output_tokens").to_number<int>(), 32);
  EXPECT_EQ(body.at("temperature").as_double(), 0.2);
  EXPECT_FALSE(body.contains("seed"));  // the API has none
  EXPECT_FALSE(body.contains("messages"));
  EXPECT_FALSE(body.contains("stream_options"));  // usage always comes in response.completed

  request.max_tokens = 0;
  EXPECT_FALSE(boost::json::parse(build_request_body(e, request, false)).as_object().contains("max_output_tokens"));
  EXPECT_EQ(request_url(e), "http://127.0.0.1:8000/v1/responses");
}

DecodedChunk decode(ChunkDecoder& decoder, std::string_view json) {
  const auto chunk = decoder.decode_chunk(ApiFlavor::openai_responses, json);
  EXPECT_TRUE(chunk) << json;
  return chunk.value_or(DecodedChunk{});
}

TEST(ResponsesDecoder, StreamEvents) {
  ChunkDecoder decoder;
  const DecodedChunk created = decode(
      decoder, R"({"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","output":[],"usage":null}})");
  EXPECT_TRUE(created.content.empty());
  EXPECT_FALSE(created.done);
  EXPECT_FALSE(created.is_error);  // its response's "error":null is nested, not an error
  EXPECT_EQ(decode(decoder, R"({"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]})")
                .content,
            "Hel");
  EXPECT_EQ(decode(decoder, R"({"type":"response.reasoning_text.delta","item_id":"rs_1","output_index":0,"content_index":0,"delta":"think"})")
                .reasoning,
            "think");
  EXPECT_EQ(decode(decoder, R"({"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"sum"})")
                .reasoning,
            "sum");
  // The *.done events repeat the text: they are no new tokens.
  const DecodedChunk done_text = decode(decoder, R"({"type":"response.output_text.done","item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello"})");
  EXPECT_TRUE(done_text.content.empty());

  const DecodedChunk completed = decode(
      decoder,
      R"({"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","error":null,"incomplete_details":null,"output":[{"type":"message","id":"msg_1","content":[{"type":"output_text","text":"Hello"}]}],"usage":{"input_tokens":11,"output_tokens":7,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":18}}})");
  EXPECT_TRUE(completed.done);
  EXPECT_TRUE(completed.has_completion);
  EXPECT_TRUE(completed.content.empty());  // already streamed
  EXPECT_TRUE(completed.has_usage);
  EXPECT_EQ(completed.prompt_tokens, 11u);
  EXPECT_EQ(completed.completion_tokens, 7u);
  EXPECT_EQ(completed.reasoning_tokens, 2u);
  EXPECT_EQ(completed.finish_reason, "completed");

  const DecodedChunk incomplete = decode(
      decoder,
      R"({"type":"response.incomplete","response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[],"usage":{"input_tokens":1,"output_tokens":2}}})");
  EXPECT_TRUE(incomplete.done);
  EXPECT_EQ(incomplete.finish_reason, "max_output_tokens");
}

TEST(ResponsesDecoder, FailuresAreErrors) {
  ChunkDecoder decoder;
  const DecodedChunk error =
      decode(decoder, R"({"type":"error","sequence_number":3,"code":"server_error","message":"boom","param":null})");
  EXPECT_TRUE(error.is_error);
  EXPECT_EQ(error.error_message, "boom");
  const DecodedChunk failed = decode(
      decoder, R"({"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"it failed"},"output":[]}})");
  EXPECT_TRUE(failed.is_error);
  EXPECT_EQ(failed.error_message, "it failed");
}

TEST(ResponsesDecoder, WholeResponse) {
  ChunkDecoder decoder;
  const auto response = decoder.decode_response(
      ApiFlavor::openai_responses,
      R"({"id":"resp_1","object":"response","status":"completed","error":null,"output":[{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"plan"}]},{"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Hi there","annotations":[]}]}],"usage":{"input_tokens":5,"output_tokens":9,"output_tokens_details":{"reasoning_tokens":4}}})");
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->has_completion);
  EXPECT_EQ(response->content, "Hi there");
  EXPECT_EQ(response->reasoning, "plan");
  EXPECT_EQ(response->completion_tokens, 9u);
  EXPECT_EQ(response->reasoning_tokens, 4u);
  const auto none = decoder.decode_response(ApiFlavor::openai_responses, R"({"status":"ok"})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_completion);
  const auto failed = decoder.decode_response(ApiFlavor::openai_responses,
                                              R"({"status":"failed","error":{"message":"nope"},"output":[]})");
  ASSERT_TRUE(failed);
  EXPECT_TRUE(failed->is_error);
}

}  // namespace
}  // namespace llmbench::harness
