// The shared transfer core against a scripted HTTP server that sends exact bytes the mock
// never would: malformed chunks, odd framing, error events, retry-after-ms then success.
#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "harness/client/coroutine_client.h"
#include "harness/client/sync_client.h"
#include "tests/support/sanitizers.h"

namespace llmbench::harness {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// Serves one scripted response per connection, in order; each response is a list of writes
// (sent separately with TCP_NODELAY, so the client sees them split).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::vector<std::string>> responses)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        responses_(std::move(responses)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() { thread_.join(); }
  std::string base_url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  void serve() {
    for (const auto& writes : responses_) {
      tcp::socket socket(io_);
      acceptor_.accept(socket);
      socket.set_option(tcp::no_delay(true));
      boost::system::error_code ec;
      std::string request;
      const std::size_t header_end = asio::read_until(socket, asio::dynamic_buffer(request), "\r\n\r\n", ec);
      if (ec) continue;
      const auto pos = request.find("Content-Length: ");
      const std::size_t length = pos == std::string::npos ? 0 : std::stoul(request.substr(pos + 16));
      while (request.size() < header_end + length) {
        char buf[4096];
        const std::size_t n = socket.read_some(asio::buffer(buf), ec);
        if (ec) break;
        request.append(buf, n);
      }
      for (const std::string& bytes : writes) asio::write(socket, asio::buffer(bytes), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::vector<std::string>> responses_;
  std::thread thread_;
};

const std::string kSseHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

std::string content_chunk(const std::string& text) {
  return R"({"choices":[{"index":0,"delta":{"content":")" + text + R"("},"finish_reason":null}]})";
}

ChatRequest request() {
  ChatRequest r;
  r.messages = {{"user", "hi"}};
  return r;
}

Endpoint endpoint_for(const ScriptedServer& server) {
  Endpoint e;
  e.base_url = server.base_url();
  e.timeouts.total = 10s;
  return e;
}

TEST(Transfer, SplitWritesCrlfAndCommentsStillGiveEveryToken) {
  const std::string hello = content_chunk("Hello");
  const std::size_t cut = hello.find("lo\"");  // split inside the JSON string
  ScriptedServer server(
      {{kSseHead, ": keep-alive\r\n\r\ndata: " + hello.substr(0, cut), hello.substr(cut) + "\r\n",
        "\r\ndata: " + content_chunk(" world") + "\r\n\r\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\r\n\r\ndata: [DO",
        "NE]\r\n\r\n"}});
  SyncClient client(endpoint_for(server));
  const auto result = client.stream(request(), nullptr);
  ASSERT_TRUE(result.ok()) << error_kind_name(result.record.error) << ": " << result.record.error_message;
  EXPECT_EQ(result.text, "Hello world");
  EXPECT_EQ(result.record.output_tokens, 2u);
  EXPECT_EQ(result.record.prompt_tokens, 3u);
  EXPECT_EQ(result.record.token_ns.size(), 2u);
}

// Streams are read through a 1 KB receive buffer (memory per in-flight stream): events several
// times larger arrive over many reads and must come out whole, in both kinds of driver.
TEST(Transfer, EventsLargerThanTheStreamReceiveBufferComeOutWhole) {
  const std::string big_a(5000, 'a');
  const std::string big_b(3000, 'b');
  const std::string body = "data: " + content_chunk(big_a) + "\n\ndata: " + content_chunk(big_b) +
                           "\n\ndata: " + content_chunk("c") + "\n\ndata: [DONE]\n\n";
  ScriptedServer server({{kSseHead, body}, {kSseHead, body}});
  SyncClient sync(endpoint_for(server));
  const auto synced = sync.stream(request(), nullptr);
  ASSERT_TRUE(synced.ok()) << synced.record.error_message;
  EXPECT_EQ(synced.text, big_a + big_b + "c");
  EXPECT_EQ(synced.record.token_ns.size(), 3u);

  boost::asio::io_context io;
  CoroutineClient coroutine(io, endpoint_for(server));
  InvokeResult streamed;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> { streamed = co_await coroutine.astream(request(), nullptr); },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(streamed.ok()) << streamed.record.error_message;
  EXPECT_EQ(streamed.text, big_a + big_b + "c");
  EXPECT_EQ(streamed.record.token_ns.size(), 3u);
}

TEST(Transfer, MalformedChunkIsAParseError) {
  ScriptedServer server({{kSseHead, "data: " + content_chunk("ok") + "\n\n", "data: {\"choices\":[{\n\n"}});
  SyncClient client(endpoint_for(server));
  const auto result = client.stream(request(), nullptr);
  EXPECT_EQ(result.record.error, ErrorKind::parse);
  EXPECT_NE(result.record.error_message.find("not a JSON object"), std::string::npos)
      << result.record.error_message;
  EXPECT_EQ(result.record.token_ns.size(), 1u);  // what arrived before is still recorded
}

TEST(Transfer, ErrorEventIsAStreamError) {
  ScriptedServer server({{kSseHead, "data: " + content_chunk("a") + "\n\n",
                          "event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n"}});
  SyncClient client(endpoint_for(server));
  const auto result = client.stream(request(), nullptr);
  EXPECT_EQ(result.record.error, ErrorKind::stream_error);
  EXPECT_NE(result.record.error_message.find("overloaded"), std::string::npos);
}

TEST(Transfer, StreamWithoutDoneIsTruncatedAndOutputIsCountedWithoutUsage) {
  ScriptedServer server(
      {{kSseHead, "data: " + content_chunk("a") + "\n\ndata: " + content_chunk("b") + "\n\n"}});
  SyncClient client(endpoint_for(server));
  const auto result = client.stream(request(), nullptr);
  EXPECT_EQ(result.record.error, ErrorKind::truncated);
  EXPECT_EQ(result.record.output_tokens, 2u);
  EXPECT_FALSE(result.record.usage_reported);
}

TEST(Transfer, NonJsonBodyIsAParseError) {
  ScriptedServer server(
      {{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n"
        "Connection: close\r\n\r\nnot json!"}});
  SyncClient client(endpoint_for(server));
  EXPECT_EQ(client.invoke(request()).record.error, ErrorKind::parse);
}

TEST(Transfer, OllamaStreamWithoutDoneIsTruncatedAndLastLineWithoutNewlineCounts) {
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n";
  ScriptedServer server({{head, "{\"message\":{\"content\":\"x\"},\"done\":false}\n"},
                         {head,
                          "{\"message\":{\"content\":\"x\"},\"done\":false}\n{\"message\":{\"content\":\"\"},"
                          "\"done\":true,\"eval_count\":1,\"prompt_eval_count\":2}"}});
  Endpoint e = endpoint_for(server);
  e.flavor = ApiFlavor::ollama_chat;
  SyncClient client(e);
  EXPECT_EQ(client.stream(request(), nullptr).record.error, ErrorKind::truncated);
  const auto ok = client.stream(request(), nullptr);
  EXPECT_TRUE(ok.ok()) << ok.record.error_message;
  EXPECT_EQ(ok.record.output_tokens, 1u);
}

TEST(Transfer, RetryAfterMsIsHonouredThenTheRetrySucceeds) {
  const std::string body =
      R"({"error":{"message":"slow down","type":"requests","param":null,"code":"rate_limit_exceeded"}})";
  ScriptedServer server({{"HTTP/1.1 429 Too Many Requests\r\nretry-after-ms: 300\r\nretry-after: 9\r\n"
                          "Content-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body},
                         {kSseHead, "data: " + content_chunk("ok") + "\n\ndata: [DONE]\n\n"}});
  Endpoint e = endpoint_for(server);
  e.retry.max_retries = 2;
  e.retry.initial_backoff = 5ms;
  SyncClient client(e);
  const auto result = client.stream(request(), nullptr);
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.retries, 1u);
  const double ms = static_cast<double>(result.record.end_ns - result.record.start_ns) / 1e6;
  EXPECT_GE(ms, 300.0);   // retry-after-ms, not the 5 ms backoff
  EXPECT_LT(ms, test_support::upper_bound_ms(300, 1500));  // and not retry-after's 9 s, even under sanitizers
}

TEST(Transfer, ErrorBodyMessageIsKept) {
  const std::string body =
      R"({"error":{"message":"bad model","type":"invalid_request_error","param":null,"code":null}})";
  ScriptedServer server({{"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body}});
  SyncClient client(endpoint_for(server));
  const auto result = client.invoke(request());
  EXPECT_EQ(result.record.error, ErrorKind::http_4xx);
  EXPECT_EQ(result.record.http_status, 404);
  EXPECT_NE(result.record.error_message.find("bad model"), std::string::npos);
}

// --- What real servers send, read strictly (issue 15, item 6) ---

std::string json_reply(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

TEST(Transfer, WholeReplyWithoutUsageCountsItsTextAsEstimatedTokens) {
  ScriptedServer server({{json_reply(
      R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",)"
      R"("content":"Hello there, dear load tester."},"finish_reason":"stop"}]})")}});
  SyncClient client(endpoint_for(server));
  const auto result = client.invoke(request());
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.text, "Hello there, dear load tester.");
  EXPECT_FALSE(result.record.usage_reported);
  EXPECT_EQ(result.record.output_tokens, 5u);  // was 0: the whole body counted as no chunk
  EXPECT_EQ(result.record.prompt_tokens, request().prompt_tokens_estimate);
}

// The load path's keep_text = false: no text is built, and the estimate is the same.
TEST(Transfer, DiscardedTextIsNotBuiltButStillCounted) {
  const std::string reply = json_reply(
      R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",)"
      R"("content":"Hello there, dear load tester."},"finish_reason":"stop"}]})");
  ScriptedServer server({{reply}, {reply}});
  SyncClient client(endpoint_for(server));
  const auto result = client.run(request(), SendSpec{.index = 7, .keep_text = false});
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_TRUE(result.text.empty());
  EXPECT_EQ(result.record.index, 7u);
  EXPECT_EQ(result.record.output_tokens, 5u);
  EXPECT_EQ(client.invoke(request()).text, "Hello there, dear load tester.");
}

TEST(Transfer, TwoHundredWithoutACompletionIsAParseErrorWithAMessage) {
  ScriptedServer server({{json_reply(R"({"status":"ok"})")},
                         {json_reply(R"({"choices":[]})")},
                         {json_reply(R"({"status":"ok"})")}});
  SyncClient client(endpoint_for(server));
  for (const char* body : {R"({"status":"ok"})", R"({"choices":[]})"}) {
    const auto result = client.invoke(request());
    EXPECT_EQ(result.record.error, ErrorKind::parse) << body;
    EXPECT_EQ(result.record.http_status, 200);
    EXPECT_NE(result.record.error_message.find("reply has no completion"), std::string::npos)
        << result.record.error_message;
    EXPECT_NE(result.record.error_message.find(body), std::string::npos) << result.record.error_message;
  }
  Endpoint ollama = endpoint_for(server);
  ollama.flavor = ApiFlavor::ollama_chat;
  SyncClient ollama_client(ollama);
  const auto result = ollama_client.invoke(request());
  EXPECT_EQ(result.record.error, ErrorKind::parse);
  EXPECT_NE(result.record.error_message.find("no message or response"), std::string::npos)
      << result.record.error_message;
}

TEST(Transfer, StreamWithoutACompletionIsAParseError) {
  ScriptedServer server({{kSseHead, "data: {\"status\":\"ok\"}\n\n", "data: [DONE]\n\n"},
                         {kSseHead, "data: {\"choices\":[]}\n\ndata: [DONE]\n\n"}});
  SyncClient client(endpoint_for(server));
  for (int i = 0; i < 2; ++i) {
    const auto result = client.stream(request(), nullptr);
    EXPECT_EQ(result.record.error, ErrorKind::parse) << i;
    EXPECT_NE(result.record.error_message.find("reply has no completion"), std::string::npos)
        << result.record.error_message;
  }
}

// An empty but well-formed completion is a success with 0 output tokens, and its TTFT is the
// moment the empty answer was complete, streamed or not (before: only the whole reply had one).
TEST(Transfer, EmptyCompletionIsASuccessWithATtftStreamedOrNot) {
  const std::string empty_stream =
      R"(data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})"
      "\n\n"
      R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
      "\n\ndata: [DONE]\n\n";
  ScriptedServer server(
      {{kSseHead, empty_stream},
       {json_reply(R"({"choices":[{"index":0,"message":{"role":"assistant","content":""},)"
                   R"("finish_reason":"stop"}]})")}});
  SyncClient client(endpoint_for(server));
  const auto streamed = client.stream(request(), nullptr);
  const auto whole = client.invoke(request());
  for (const InvokeResult* result : {&streamed, &whole}) {
    const RequestRecord& r = result->record;
    ASSERT_TRUE(result->ok()) << r.error_message;
    EXPECT_TRUE(result->text.empty());
    EXPECT_EQ(r.output_tokens, 0u);
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_NE(r.first_token_ns, 0);
    EXPECT_GE(r.first_token_ns, r.headers_ns);
    EXPECT_LE(r.first_token_ns, r.end_ns);
    EXPECT_EQ(r.token_ns, std::vector<std::int64_t>{r.first_token_ns});
  }
}

}  // namespace
}  // namespace llmbench::harness
