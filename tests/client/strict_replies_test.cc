// What real OpenAI-compatible servers send with a 200 (issue 15, item 6), read through every
// execution model's client (make_client: the sync, threaded and coroutine clients the load
// drivers use) and recorded by MetricsRecorder as a step would: a reply without usage counts
// estimated tokens and says so, a reply without a completion is a parse error with a message,
// an empty completion is a success with a TTFT whether streamed or not.
#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "harness/client/client.h"
#include "harness/metrics/metrics_recorder.h"
#include "tests/support/every_execution_model.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::harness {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// Answers every request from the first segment of its path (the test's base URL picks the
// reply) and whether the body asks for a stream; one request per connection.
class CannedServer {
 public:
  CannedServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~CannedServer() {
    io_.stop();
    thread_.join();
  }
  std::string base_url(const std::string& reply) const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/" + reply;
  }

 private:
  static std::string sse(const std::string& events) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + events;
  }
  static std::string json(const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  }
  static std::string reply_for(const std::string& name, bool stream) {
    if (name == "no-usage") {
      return stream
                 ? sse("data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n"
                       "data: {\"choices\":[{\"delta\":{\"content\":\" there\"}}]}\n\n"
                       "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                 : json(R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Hello )"
                        R"(there, dear load tester."},"finish_reason":"stop"}]})");
    }
    if (name == "chunky") {
      // As @dwmkerr/mock-llm streams: several words per chunk (a word split across two), no
      // usage; the whole reply has the same text.
      return stream ? sse("data: {\"choices\":[{\"delta\":{\"content\":\"one two thr\"}}]}\n\n"
                          "data: {\"choices\":[{\"delta\":{\"content\":\"ee four five six\"},"
                          "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                    : json(R"({"choices":[{"message":{"content":"one two three four five six"},)"
                           R"("finish_reason":"stop"}]})");
    }
    if (name == "short-stop" || name == "short-length") {
      // Two words, no usage, and the server's own word on why it stopped.
      const std::string reason = name == "short-stop" ? "stop" : "length";
      return stream ? sse("data: {\"choices\":[{\"delta\":{\"content\":\"two words\"}}]}\n\n"
                          "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}\n\n"
                          "data: [DONE]\n\n")
                    : json(R"({"choices":[{"message":{"content":"two words"},"finish_reason":")" + reason + R"("}]})");
    }
    if (name == "status-ok") {
      return stream ? sse("data: {\"status\":\"ok\"}\n\ndata: [DONE]\n\n") : json(R"({"status":"ok"})");
    }
    if (name == "no-choices") {
      return stream ? sse("data: {\"choices\":[]}\n\ndata: [DONE]\n\n") : json(R"({"choices":[]})");
    }
    // "empty": a well-formed completion with no text, and usage saying so.
    return stream ? sse("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                        "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0}}\n\n"
                        "data: [DONE]\n\n")
                  : json(R"({"choices":[{"index":0,"message":{"role":"assistant","content":""},)"
                         R"("finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":0}})");
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
      asio::co_spawn(io_, answer(std::move(socket)), asio::detached);
    }
  }

  static asio::awaitable<void> answer(tcp::socket socket) {
    try {
      std::string request;
      const std::size_t header_end = co_await asio::async_read_until(socket, asio::dynamic_buffer(request),
                                                                     "\r\n\r\n", asio::use_awaitable);
      const auto pos = request.find("Content-Length: ");
      const std::size_t length = pos == std::string::npos ? 0 : std::stoul(request.substr(pos + 16));
      if (request.size() < header_end + length) {
        co_await asio::async_read(socket, asio::dynamic_buffer(request),
                                  asio::transfer_exactly(header_end + length - request.size()),
                                  asio::use_awaitable);
      }
      // "POST /no-usage/v1/chat/completions HTTP/1.1"
      const std::size_t start = request.find('/') + 1;
      const std::string name = request.substr(start, request.find('/', start) - start);
      const bool stream = request.find("\"stream\":true", header_end) != std::string::npos;
      co_await asio::async_write(socket, asio::buffer(reply_for(name, stream)), asio::use_awaitable);
      boost::system::error_code ec;
      socket.shutdown(tcp::socket::shutdown_both, ec);
    } catch (const boost::system::system_error&) {
      // the client went away; nothing to answer
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

class NoObserver final : public StreamObserver {};

class StrictReplies : public ::testing::TestWithParam<ExecutionModel> {
 protected:
  // One invoke and one stream against the canned reply, both recorded as a step would.
  std::pair<InvokeResult, InvokeResult> run(const std::string& reply, std::uint32_t min_tokens = 0,
                                            tokenizer::TokenizerPtr tokenizer = nullptr) {
    Endpoint endpoint;
    endpoint.tokenizer = std::move(tokenizer);
    endpoint.base_url = server_.base_url(reply);
    endpoint.timeouts.total = 20s;
    auto client = make_client(GetParam(), endpoint, 2);
    ChatRequest request;
    request.messages = {{"user", "hi there"}};
    request.prompt_tokens_estimate = 2;
    request.max_tokens = min_tokens > 0 ? 10 : 0;
    request.min_tokens = min_tokens;
    NoObserver observer;
    auto whole = client->invoke(request);
    auto streamed = client->stream(request, observer);
    recorder_.record(whole.record);
    recorder_.record(streamed.record);
    return {std::move(whole), std::move(streamed)};
  }

  CannedServer server_;
  metrics::MetricsRecorder recorder_;
};

TEST_P(StrictReplies, ReplyWithoutUsageCountsEstimatedTokensAndSaysSo) {
  const auto [whole, streamed] = run("no-usage");
  ASSERT_TRUE(whole.ok()) << whole.record.error_message;
  ASSERT_TRUE(streamed.ok()) << streamed.record.error_message;
  EXPECT_EQ(whole.record.output_tokens, 5u);     // "Hello there, dear load tester." by words
  EXPECT_EQ(streamed.record.output_tokens, 2u);  // two content chunks
  EXPECT_EQ(whole.record.prompt_tokens, 2u);     // the request's estimate
  EXPECT_EQ(recorder_.counts().ok, 2u);
  EXPECT_EQ(recorder_.counts().estimated_usage, 2u);
  EXPECT_EQ(recorder_.counts().output_tokens, 7u);
}

TEST_P(StrictReplies, WithATokenizerAReplyWithoutUsageIsCountedNotEstimated) {
  const auto t = tokenizer::load_tokenizer(tokenizer::testing::kLlama3TokenizerJson);
  const auto [whole, streamed] = run("no-usage", 0, t);
  ASSERT_TRUE(whole.ok()) << whole.record.error_message;
  ASSERT_TRUE(streamed.ok()) << streamed.record.error_message;
  // "Hello there, dear load tester." is 7 Llama 3 tokens (5 words); the stream's text 2.
  EXPECT_EQ(whole.record.output_tokens, t->count("Hello there, dear load tester."));
  EXPECT_EQ(whole.record.output_tokens, 7u);
  EXPECT_EQ(streamed.record.output_tokens, t->count("Hello there"));
  EXPECT_TRUE(whole.record.tokens_counted);
  EXPECT_TRUE(streamed.record.tokens_counted);
  EXPECT_EQ(recorder_.counts().counted_usage, 2u);
  EXPECT_EQ(recorder_.counts().estimated_usage, 0u);
}

TEST_P(StrictReplies, StreamWithSeveralWordsPerChunkCountsTheWordsNotTheChunks) {
  const auto [whole, streamed] = run("chunky");
  ASSERT_TRUE(whole.ok()) << whole.record.error_message;
  ASSERT_TRUE(streamed.ok()) << streamed.record.error_message;
  EXPECT_EQ(whole.record.output_tokens, 6u);
  EXPECT_EQ(streamed.record.output_tokens, 6u);  // was 2: one per chunk
  EXPECT_FALSE(streamed.record.usage_reported);
  EXPECT_EQ(recorder_.counts().estimated_usage, 2u);
}

TEST_P(StrictReplies, ShortRepliesToAPinnedLengthAreFlaggedUnlessTheServerSaysLength) {
  const auto [whole, streamed] = run("short-stop", 5);
  for (const InvokeResult* result : {&whole, &streamed}) {
    ASSERT_TRUE(result->ok()) << result->record.error_message;
    EXPECT_EQ(result->record.requested_output_tokens, 10u);
    EXPECT_EQ(result->record.output_tokens, 2u);
    EXPECT_TRUE(result->record.stopped_early);  // 2 estimated < min_tokens 5, and the server said "stop"
  }
  // An estimate below the length while the server says it hit the cap: the server is believed.
  const auto [whole_cap, streamed_cap] = run("short-length", 5);
  EXPECT_FALSE(whole_cap.record.stopped_early);
  EXPECT_FALSE(streamed_cap.record.stopped_early);
  // Without a pinned length a short "stop" is a normal answer.
  const auto [whole_free, streamed_free] = run("short-stop");
  EXPECT_FALSE(whole_free.record.stopped_early);
  EXPECT_FALSE(streamed_free.record.stopped_early);
  EXPECT_EQ(recorder_.counts().stopped_early, 2u);
}

TEST_P(StrictReplies, TwoHundredWithoutACompletionIsAParseError) {
  for (const std::string reply : {"status-ok", "no-choices"}) {
    const auto [whole, streamed] = run(reply);
    for (const InvokeResult* result : {&whole, &streamed}) {
      EXPECT_EQ(result->record.error, ErrorKind::parse) << reply;
      EXPECT_NE(result->record.error_message.find("reply has no completion"), std::string::npos)
          << result->record.error_message;
    }
  }
  EXPECT_EQ(recorder_.counts().ok, 0u);
  EXPECT_EQ(recorder_.counts().errors(ErrorKind::parse), 4u);
  const auto& messages = recorder_.error_details().of(ErrorKind::parse).messages;
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages.front().text.find("reply has no completion"), std::string::npos)
      << messages.front().text;
}

TEST_P(StrictReplies, EmptyCompletionIsASuccessWithATtftStreamedOrNot) {
  const auto [whole, streamed] = run("empty");
  for (const InvokeResult* result : {&whole, &streamed}) {
    ASSERT_TRUE(result->ok()) << result->record.error_message;
    EXPECT_EQ(result->record.output_tokens, 0u);
    EXPECT_TRUE(result->record.usage_reported);
    EXPECT_NE(result->record.first_token_ns, 0);
    EXPECT_LE(result->record.first_token_ns, result->record.end_ns);
  }
  EXPECT_EQ(recorder_.counts().estimated_usage, 0u);
  EXPECT_EQ(recorder_.distributions().ttft.count(), 2u);  // was 1: the stream had none
}

INSTANTIATE_TEST_SUITE_P(AllModels, StrictReplies, test_support::kEveryExecutionModel,
                         test_support::ExecutionModelName());

}  // namespace
}  // namespace llmbench::harness
