#include "harness/client/chunk_decoder.h"

#include <gtest/gtest.h>

namespace llmbench::harness {
namespace {

TEST(ChunkDecoder, OpenAiRoleChunkHasNoContent) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::openai_chat,
      R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})");
  ASSERT_TRUE(chunk);
  EXPECT_TRUE(chunk->content.empty());
  EXPECT_TRUE(chunk->finish_reason.empty());
  EXPECT_FALSE(chunk->has_usage);
  EXPECT_FALSE(chunk->is_error);
}

TEST(ChunkDecoder, OpenAiContentFinishAndUsageChunks) {
  ChunkDecoder decoder;
  auto content = decoder.decode_chunk(ApiFlavor::openai_chat,
                                      R"({"choices":[{"index":0,"delta":{"content":"Hi \"there\""}}]})");
  ASSERT_TRUE(content);
  EXPECT_EQ(content->content, "Hi \"there\"");

  auto finish =
      decoder.decode_chunk(ApiFlavor::openai_chat,
                           R"({"choices":[{"index":0,"delta":{},"finish_reason":"length"}],"usage":null})");
  ASSERT_TRUE(finish);
  EXPECT_EQ(finish->finish_reason, "length");
  EXPECT_FALSE(finish->has_usage);

  auto usage = decoder.decode_chunk(
      ApiFlavor::openai_chat,
      R"({"choices":[],"usage":{"prompt_tokens":17,"completion_tokens":10,"total_tokens":27}})");
  ASSERT_TRUE(usage);
  EXPECT_TRUE(usage->has_usage);
  EXPECT_EQ(usage->prompt_tokens, 17u);
  EXPECT_EQ(usage->completion_tokens, 10u);
}

TEST(ChunkDecoder, OpenAiErrorObjectMidStream) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::openai_chat,
      R"({"error":{"message":"overloaded","type":"server_error","param":null,"code":null}})");
  ASSERT_TRUE(chunk);
  EXPECT_TRUE(chunk->is_error);
  EXPECT_EQ(chunk->error_message, "overloaded");
}

TEST(ChunkDecoder, NullErrorIsNotAnError) {
  ChunkDecoder decoder;
  const auto chunk =
      decoder.decode_chunk(ApiFlavor::openai_chat, R"({"error":null,"choices":[{"delta":{"content":"a"}}]})");
  ASSERT_TRUE(chunk);
  EXPECT_FALSE(chunk->is_error);
  EXPECT_EQ(chunk->content, "a");
}

TEST(ChunkDecoder, MalformedJsonAndNonObjectsAreRejected) {
  ChunkDecoder decoder;
  for (const char* bad : {"{\"choices\":[", "not json", "[1,2]", "\"text\"", "", "{\"a\":1} trailing"}) {
    EXPECT_FALSE(decoder.decode_chunk(ApiFlavor::openai_chat, bad)) << bad;
  }
  // The decoder recovers after a failure.
  EXPECT_TRUE(decoder.decode_chunk(ApiFlavor::openai_chat, R"({"choices":[]})"));
}

TEST(ChunkDecoder, WrongTypesAreIgnoredNotCrashes) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::openai_chat,
      R"({"choices":[{"delta":{"content":5},"finish_reason":7}],"usage":{"completion_tokens":-3}})");
  ASSERT_TRUE(chunk);
  EXPECT_TRUE(chunk->content.empty());
  EXPECT_TRUE(chunk->finish_reason.empty());
  EXPECT_FALSE(chunk->has_usage);
}

TEST(ChunkDecoder, OllamaContentAndFinalLine) {
  ChunkDecoder decoder;
  auto line = decoder.decode_chunk(
      ApiFlavor::ollama_chat, R"({"model":"m","message":{"role":"assistant","content":"The"},"done":false})");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->content, "The");
  EXPECT_FALSE(line->done);
  auto last = decoder.decode_chunk(
      ApiFlavor::ollama_chat,
      R"({"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":26,"eval_count":282})");
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->done);
  EXPECT_EQ(last->finish_reason, "stop");
  EXPECT_TRUE(last->has_usage);
  EXPECT_EQ(last->prompt_tokens, 26u);
  EXPECT_EQ(last->completion_tokens, 282u);
}

TEST(ChunkDecoder, OllamaErrorLine) {
  ChunkDecoder decoder;
  const auto line = decoder.decode_chunk(ApiFlavor::ollama_chat, R"({"error":"model 'x' not found"})");
  ASSERT_TRUE(line);
  EXPECT_TRUE(line->is_error);
  EXPECT_EQ(line->error_message, "model 'x' not found");
}

TEST(ChunkDecoder, OpenAiNonStreamingResponse) {
  ChunkDecoder decoder;
  const auto response = decoder.decode_response(
      ApiFlavor::openai_chat,
      R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":17,"completion_tokens":2,"total_tokens":19}})");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->content, "Hi!");
  EXPECT_EQ(response->finish_reason, "stop");
  EXPECT_EQ(response->completion_tokens, 2u);
}

TEST(ChunkDecoder, LargeChunkBeyondTheInitialBufferDecodes) {
  ChunkDecoder decoder;
  const std::string content(20000, 'z');
  const std::string json = R"({"choices":[{"delta":{"content":")" + content + R"("}}]})";
  for (int i = 0; i < 3; ++i) {
    const auto chunk = decoder.decode_chunk(ApiFlavor::openai_chat, json);
    ASSERT_TRUE(chunk);
    EXPECT_EQ(chunk->content.size(), content.size());
  }
}

}  // namespace
}  // namespace llmbench::harness

namespace llmbench::harness {
namespace {

// Regression (fuzz_chunk_decoder, see tests/fuzz/crashes/README.md): one decoder must decode
// any number of chunks larger than its inline buffer without its memory growing per chunk.
TEST(ChunkDecoder, ManyLargeChunksOnOneDecoderKeepDecoding) {
  ChunkDecoder decoder;
  const std::string content(6000, 'x');
  const std::string chunk = R"({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")" +
                            content + R"("},"finish_reason":null}]})";
  for (int i = 0; i < 200; ++i) {
    const auto decoded = decoder.decode_chunk(ApiFlavor::openai_chat, chunk);
    ASSERT_TRUE(decoded.has_value()) << "chunk " << i;
    ASSERT_EQ(decoded->content.size(), content.size()) << "chunk " << i;
  }
}

// Replies real servers send with a 2xx status: only those carrying a choice / message are
// completions; a health-check object or an empty choices array is not (issue 15, item 6).
TEST(ChunkDecoder, OnlyAChoiceOrMessageIsACompletion) {
  ChunkDecoder decoder;
  for (const char* body : {R"({"status":"ok"})", R"({"choices":[]})", R"({"choices":[{"index":0}]})",
                           R"({"choices":["x"]})", R"({"choices":[{"message":"hi"}]})"}) {
    const auto reply = decoder.decode_response(ApiFlavor::openai_chat, body);
    ASSERT_TRUE(reply) << body;
    EXPECT_FALSE(reply->has_completion) << body;
  }
  auto empty = decoder.decode_response(
      ApiFlavor::openai_chat, R"({"choices":[{"message":{"role":"assistant","content":""}}]})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->has_completion);
  EXPECT_TRUE(empty->content.empty());
  auto tool_call = decoder.decode_response(
      ApiFlavor::openai_chat, R"({"choices":[{"message":{"role":"assistant","content":null}}]})");
  ASSERT_TRUE(tool_call);
  EXPECT_TRUE(tool_call->has_completion);
  auto legacy = decoder.decode_response(ApiFlavor::openai_chat, R"({"choices":[{"text":"Hi there"}]})");
  ASSERT_TRUE(legacy);
  EXPECT_TRUE(legacy->has_completion);
  EXPECT_EQ(legacy->content, "Hi there");

  auto usage_only = decoder.decode_chunk(
      ApiFlavor::openai_chat, R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})");
  ASSERT_TRUE(usage_only);
  EXPECT_FALSE(usage_only->has_completion);
  auto role = decoder.decode_chunk(ApiFlavor::openai_chat,
                                   R"({"choices":[{"delta":{"role":"assistant","content":""}}]})");
  ASSERT_TRUE(role);
  EXPECT_TRUE(role->has_completion);
}

TEST(ChunkDecoder, OllamaCompletionIsAMessageOrAResponse) {
  ChunkDecoder decoder;
  for (const char* body : {R"({"status":"ok"})", R"({"done":true})", R"({"response":7,"done":true})"}) {
    const auto reply = decoder.decode_response(ApiFlavor::ollama_chat, body);
    ASSERT_TRUE(reply) << body;
    EXPECT_FALSE(reply->has_completion) << body;
  }
  auto chat = decoder.decode_response(ApiFlavor::ollama_chat,
                                      R"({"message":{"role":"assistant","content":"x"},"done":true})");
  ASSERT_TRUE(chat);
  EXPECT_TRUE(chat->has_completion);
  auto generate = decoder.decode_response(ApiFlavor::ollama_chat, R"({"response":"","done":true})");
  ASSERT_TRUE(generate);
  EXPECT_TRUE(generate->has_completion);
}


// Reasoning models (docs/metrics.md): the thinking text comes beside the answer's content.
TEST(ChunkDecoder, OpenAiReasoningContentDelta) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::openai_chat, R"({"choices":[{"index":0,"delta":{"reasoning_content":"Let me"},"finish_reason":null}]})");
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->reasoning, "Let me");
  EXPECT_TRUE(chunk->content.empty());
  EXPECT_TRUE(chunk->has_completion);
}

TEST(ChunkDecoder, OpenRouterReasoningDeltaBesideANullContent) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::openai_chat,
      R"({"choices":[{"index":0,"delta":{"content":null,"reasoning":"think"},"finish_reason":null}]})");
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->reasoning, "think");
  EXPECT_TRUE(chunk->content.empty());
}

TEST(ChunkDecoder, OllamaThinkingLine) {
  ChunkDecoder decoder;
  const auto chunk = decoder.decode_chunk(
      ApiFlavor::ollama_chat,
      R"({"model":"m","message":{"role":"assistant","content":"","thinking":"hmm"},"done":false})");
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->reasoning, "hmm");
  EXPECT_TRUE(chunk->content.empty());
}

TEST(ChunkDecoder, WholeReplyReasoningAndReasoningTokensOfUsage) {
  ChunkDecoder decoder;
  for (const char* field : {"reasoning_content", "reasoning"}) {
    const std::string body =
        std::string(R"({"choices":[{"index":0,"message":{"role":"assistant","content":"42",")") + field +
        R"(":"six by seven"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":9,)"
        R"("completion_tokens_details":{"reasoning_tokens":8}}})";
    const auto reply = decoder.decode_response(ApiFlavor::openai_chat, body);
    ASSERT_TRUE(reply) << field;
    EXPECT_EQ(reply->content, "42");
    EXPECT_EQ(reply->reasoning, "six by seven") << field;
    EXPECT_EQ(reply->completion_tokens, 9u);
    EXPECT_EQ(reply->reasoning_tokens, std::optional<std::uint32_t>(8));
  }
  const auto plain = decoder.decode_response(
      ApiFlavor::openai_chat,
      R"({"choices":[{"index":0,"message":{"content":"x"}}],"usage":{"prompt_tokens":1,"completion_tokens":1}})");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->reasoning_tokens);
  EXPECT_TRUE(plain->reasoning.empty());
}

}  // namespace
}  // namespace llmbench::harness
