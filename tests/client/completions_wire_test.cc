// The harness's legacy OpenAI /v1/completions: the body (a prompt, no roles) and the decoding
// of its choices[0].text chunks and whole reply.
#include "harness/client/completions_wire.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/client/api_flavor.h"
#include "harness/client/chunk_decoder.h"

namespace llmbench::harness {
namespace {

TEST(CompletionsBody, PromptJoinsTheMessagesAndKeepsTheOpenAiFields) {
  Endpoint e;
  e.model = "m1";
  e.base_url = "http://host:8000/v1";
  e.flavor = ApiFlavor::openai_completions;
  ChatRequest request;
  request.messages = {{"system", "be terse"}, {"user", "say hi"}};
  request.max_tokens = 16;
  request.seed = 42;
  request.temperature = 0.0;
  const auto body = boost::json::parse(build_request_body(e, request, true)).as_object();
  EXPECT_EQ(body.at("prompt"), "be terse\n\nsay hi");
  EXPECT_FALSE(body.contains("messages"));
  EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
  EXPECT_EQ(body.at("max_tokens").to_number<int>(), 16);
  EXPECT_EQ(body.at("seed").to_number<int>(), 42);
  EXPECT_EQ(body.at("temperature").as_double(), 0.0);
  EXPECT_EQ(request_url(e), "http://host:8000/v1/completions");
  e.include_usage = false;
  EXPECT_FALSE(boost::json::parse(build_request_body(e, request, true)).as_object().contains("stream_options"));
}

TEST(CompletionsDecoder, TextChunksAndWholeReply) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::openai_completions,
      R"({"id":"cmpl-1","object":"text_completion","choices":[{"text":" world","index":0,"logprobs":null,"finish_reason":null}]})");
  ASSERT_TRUE(chunk);
  EXPECT_TRUE(chunk->has_completion);
  EXPECT_EQ(chunk->content, " world");
  const auto usage = decoder.decode_chunk(
      ApiFlavor::openai_completions,
      R"({"id":"cmpl-1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}})");
  ASSERT_TRUE(usage);
  EXPECT_FALSE(usage->has_completion);
  EXPECT_EQ(usage->completion_tokens, 5u);
  const auto whole = decoder.decode_response(
      ApiFlavor::openai_completions,
      R"({"choices":[{"text":"Hello world","index":0,"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2}})");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->content, "Hello world");
  EXPECT_EQ(whole->finish_reason, "length");
}

}  // namespace
}  // namespace llmbench::harness
