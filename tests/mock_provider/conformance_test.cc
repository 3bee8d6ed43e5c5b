// One conformance suite over both engines, over loopback: framing on the wire, timing within
// generous bounds, faults, bad input and keep-alive. Each engine must pass all of it.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "mock_provider/mock_server.h"
#include "tests/mock_provider/engine_setups.h"
#include "tests/mock_provider/raw_connection.h"
#include "tests/mock_provider/test_http_client.h"
#include "tests/support/sanitizers.h"

namespace llmbench::mock {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::TestHttpClient;
using testing::TestRequest;
using testing::TestResponse;

constexpr const char* kChat = R"j({"model":"mock-model","messages":[{"role":"user","content":"hello"}]})j";
constexpr const char* kChatStream =
    R"j({"model":"mock-model","messages":[{"role":"user","content":"hello"}],"stream":true,"stream_options":{"include_usage":true}})j";

// Sanitizers slow every event down; upper bounds widen under them.
using test_support::kSanitized;
using test_support::upper_bound_ms;

// The head of a chat request announcing a `body_bytes` body with "Expect: 100-continue", as
// curl sends it for any body over 1 MiB (and then waits up to 1 s for the interim answer).
std::string expect_continue_head(std::size_t body_bytes) {
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body_bytes) + "\r\nExpect: 100-continue\r\n\r\n";
}

class ConformanceTest : public ::testing::TestWithParam<testing::EngineSetup> {
 protected:
  void SetUp() override { start(MockConfig::fixed_latency(5ms, 1ms, 4)); }

  void start(MockConfig config) {
    server_.reset();
    config.port = 0;
    config.threads = 16;
    config.stall_timeout = 3s;
    GetParam().apply(config);
    server_ = std::make_unique<MockServer>(config, GetParam().kind);
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }

  TestResponse send(TestRequest request) { return TestHttpClient(server_->port()).send(request); }

  std::unique_ptr<MockServer> server_;
};

TEST_P(ConformanceTest, BaseUrlNamesTheBoundPort) {
  EXPECT_EQ(server_->base_url(), "http://127.0.0.1:" + std::to_string(server_->port()));
}

TEST_P(ConformanceTest, StreamsExactSseFramingAndOrder) {
  const TestResponse r = send({.body = kChatStream});
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  std::string why;
  const auto events = testing::parse_sse(r.body, &why);
  ASSERT_TRUE(events) << why;
  ASSERT_EQ(events->size(), 8u);  // role, 4 deltas, finish, usage, [DONE]
  EXPECT_EQ(json::parse((*events)[0]).at("choices").as_array()[0].at("delta").at("role"), "assistant");
  EXPECT_EQ(json::parse((*events)[5]).at("choices").as_array()[0].at("finish_reason"), "stop");
  EXPECT_EQ(json::parse((*events)[6]).at("usage").at("completion_tokens"), 4);
  EXPECT_EQ(events->back(), "[DONE]");
  // The role chunk arrives together with the first content delta.
  ASSERT_FALSE(r.chunks.empty());
  const auto first = testing::parse_sse(r.chunks[0].second);
  ASSERT_TRUE(first);
  EXPECT_GE(first->size(), 2u);
}

TEST_P(ConformanceTest, TtftAndItlOnTheWireWithinGenerousBounds) {
  start(MockConfig::fixed_latency(50ms, 20ms, 5));
  const TestResponse r = send({.body = kChatStream});
  ASSERT_TRUE(r.complete) << r.error;
  ASSERT_GE(r.chunks.size(), 5u);
  const double ttft_ms = static_cast<double>(r.chunks[0].first - r.sent_ns) / 1e6;
  EXPECT_GE(ttft_ms, 50);
  EXPECT_LE(ttft_ms, upper_bound_ms(50, 100));
  for (std::size_t i = 1; i < 5; ++i) {
    // Token i is scheduled at TTFT + i ITL after the request arrived, so it cannot reach the
    // client earlier than that after the send. A gap between two receptions has no such
    // floor: a client thread descheduled while token i-1 waits reads token i right after it.
    const double at_ms = static_cast<double>(r.chunks[i].first - r.sent_ns) / 1e6;
    EXPECT_GE(at_ms, 50 + 20 * static_cast<double>(i)) << i;
    const double itl_ms = static_cast<double>(r.chunks[i].first - r.chunks[i - 1].first) / 1e6;
    EXPECT_LE(itl_ms, upper_bound_ms(20, 100)) << i;
  }
  // Non-streaming: the body after TTFT + 4 ITLs = 130 ms.
  const TestResponse whole = send({.body = kChat});
  const double e2e_ms = static_cast<double>(whole.done_ns - whole.sent_ns) / 1e6;
  EXPECT_GE(e2e_ms, 130);
  EXPECT_LE(e2e_ms, upper_bound_ms(130, 270));
  // Per-request override by header.
  const TestResponse fast = send({.body = kChat, .headers = {{"x-mock-ttft-ms", "1"}, {"x-mock-itl-ms", "0"}}});
  EXPECT_LE(static_cast<double>(fast.done_ns - fast.sent_ns) / 1e6, upper_bound_ms(1, 99));
}

// The head goes out at once and the first chunk TTFT later as a second small write: with
// Nagle on, that write waits for the client's delayed ACK of the head (>= 40 ms on Linux).
// The release bound (30 ms) sits below that delay; under sanitizers it cannot, and the test
// then only checks that streaming works on a reused connection.
TEST_P(ConformanceTest, FirstChunkIsNotHeldBackByNagleOnAReusedConnection) {
  start(MockConfig::fixed_latency(5ms, 1ms, 4));
  TestHttpClient client(server_->port());
  std::vector<double> ttft_ms;
  for (int i = 0; i < 5; ++i) {
    const TestResponse r = client.send({.body = kChatStream});
    ASSERT_TRUE(r.complete) << r.error;
    ASSERT_FALSE(r.chunks.empty());
    ttft_ms.push_back(static_cast<double>(r.chunks[0].first - r.sent_ns) / 1e6);
  }
  std::sort(ttft_ms.begin(), ttft_ms.end());
  EXPECT_GE(ttft_ms[2], 5);
  EXPECT_LT(ttft_ms[2], upper_bound_ms(5, 25)) << "median TTFT of a 5 ms TTFT on one keep-alive connection";
}

TEST_P(ConformanceTest, StreamAndNonStreamSameContentAndUsage) {
  const std::string body = R"j({"model":"mock-model","messages":[{"role":"user","content":"hello"}],"seed":3)j";
  const TestResponse s = send({.body = body + R"j(,"stream":true,"stream_options":{"include_usage":true}})j"});
  const TestResponse w = send({.body = body + "}"});
  std::string content;
  std::int64_t usage = -1;
  int deltas = 0;
  const auto events = testing::parse_sse(s.body);
  ASSERT_TRUE(events);
  for (const auto& e : *events) {
    if (e == "[DONE]") continue;
    const json::value v = json::parse(e);
    if (v.as_object().contains("usage")) usage = v.at("usage").at("completion_tokens").as_int64();
    const auto& choices = v.at("choices").as_array();
    if (!choices.empty() && choices[0].at("delta").as_object().contains("content")) {
      const auto& text = choices[0].at("delta").at("content").as_string();
      if (!text.empty()) ++deltas;
      content += text;
    }
  }
  const json::value whole = json::parse(w.body);
  EXPECT_EQ(whole.at("choices").as_array()[0].at("message").at("content").as_string(), content);
  EXPECT_EQ(usage, deltas);
  EXPECT_EQ(whole.at("usage").at("completion_tokens"), deltas);
}

TEST_P(ConformanceTest, OllamaNdjson) {
  const TestResponse r =
      send({.target = "/api/chat", .body = R"j({"model":"m","messages":[{"role":"user","content":"hi"}]})j"});
  ASSERT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.header("content-type"), "application/x-ndjson");
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 5);
  const auto last_start = r.body.rfind('\n', r.body.size() - 2) + 1;
  const json::value last = json::parse(std::string_view(r.body).substr(last_start));
  EXPECT_EQ(last.at("done"), true);
  EXPECT_EQ(last.at("eval_count"), 4);
}

TEST_P(ConformanceTest, KeepAliveServesManyRequestsOnOneConnection) {
  TestHttpClient client(server_->port());
  for (int i = 0; i < 5; ++i) {
    const TestResponse r = client.send({.body = i % 2 ? kChat : kChatStream});
    ASSERT_TRUE(r.complete) << r.error;
    EXPECT_EQ(r.status, 200);
  }
  EXPECT_EQ(client.send({.method = "GET", .target = "/health"}).body, R"j({"status":"ok"})j");
  const TestResponse models = client.send({.method = "GET", .target = "/v1/models"});
  EXPECT_EQ(json::parse(models.body).at("data").as_array()[0].at("id"), "mock-model");
  const TestResponse metrics = client.send({.method = "GET", .target = "/metrics"});
  EXPECT_NE(metrics.body.find("vllm:num_requests_running"), std::string::npos);
}

// A client holding an idle keep-alive connection must not hold up stop() until the idle
// timeout (60 s here): Ctrl-C on `llmbench mock` has to end it promptly whatever clients do.
TEST_P(ConformanceTest, StopIsPromptWhileAClientHoldsAnIdleKeepAliveConnection) {
  MockConfig config = MockConfig::fixed_latency(5ms, 1ms, 4);
  config.idle_timeout = 60s;
  start(config);
  TestHttpClient client(server_->port());
  ASSERT_EQ(client.send({.method = "GET", .target = "/health"}).status, 200);
  const auto before = std::chrono::steady_clock::now();
  server_->stop();
  // Not widened under sanitizers: it must stay under the 60 s idle timeout it rules out.
  EXPECT_LT(std::chrono::steady_clock::now() - before, 20s);
}

TEST_P(ConformanceTest, FaultsBeforeTheBody) {
  const TestResponse r429 = send({.body = kChatStream, .headers = {{"x-mock-fault", "429"}}});
  EXPECT_EQ(r429.status, 429);
  EXPECT_EQ(r429.header("retry-after"), "1");
  EXPECT_EQ(json::parse(r429.body).at("error").at("code"), "rate_limit_exceeded");
  const TestResponse r500 = send({.body = kChat, .headers = {{"x-mock-fault", "500"}}});
  EXPECT_EQ(r500.status, 500);
  EXPECT_EQ(json::parse(r500.body).at("error").at("type"), "server_error");
  const TestResponse r503 = send({.body = kChat, .headers = {{"x-mock-fault", "503"}}});
  EXPECT_EQ(r503.status, 503);
  EXPECT_EQ(json::parse(r503.body).at("error").at("type"), "server_error");
}

TEST_P(ConformanceTest, Fault429CarriesRateLimitHeaders) {
  const TestResponse r = send({.body = kChat, .headers = {{"x-mock-fault", "429"}}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("x-ratelimit-remaining-requests"), "0");
  EXPECT_EQ(r.header("x-ratelimit-reset-requests"), "1s");
  EXPECT_FALSE(r.header("x-ratelimit-limit-requests").empty());
}

// curl sends "Expect: 100-continue" for bodies over 1 MiB and holds the body back until the
// server answers "100 Continue" or 1 s passes: without the answer every such request costs 1 s.
TEST_P(ConformanceTest, ExpectContinueIsAnsweredBeforeTheBodyIsSent) {
  std::string body = R"j({"model":"mock-model","messages":[{"role":"user","content":")j";
  body += std::string(1'200'000, 'a');  // over curl's 1 MiB threshold, under the 4 MiB limit
  body += R"j("}]})j";
  testing::RawConnection connection(server_->port());
  ASSERT_TRUE(connection.is_open());
  const std::string head = expect_continue_head(body.size());
  ASSERT_EQ(connection.send(head), head.size());
  const auto bound = kSanitized ? 5000ms : 500ms;
  const std::int64_t sent_at = steady_now_ns();
  ASSERT_TRUE(connection.wait_for("\r\n\r\n", bound))
      << "no interim answer within " << bound.count() << " ms of the head; got: " << connection.received();
  EXPECT_EQ(connection.received().rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << connection.received();
  EXPECT_LT(static_cast<double>(steady_now_ns() - sent_at) / 1e6, static_cast<double>(bound.count()));
  ASSERT_EQ(connection.send(body, 10s), body.size());
  ASSERT_TRUE(connection.wait_for("\"finish_reason\"", 10s)) << connection.received().substr(0, 400);
  EXPECT_NE(connection.received().find("HTTP/1.1 200"), std::string::npos) << connection.received().substr(0, 400);
}

// A body the mock would refuse gets the final answer at once: no "100 Continue", no upload.
TEST_P(ConformanceTest, ExpectContinueOverTheBodyLimitGets413Directly) {
  MockConfig config = MockConfig::fixed_latency(5ms, 1ms, 4);
  config.max_body_bytes = 64 * 1024;
  start(config);
  testing::RawConnection connection(server_->port());
  ASSERT_TRUE(connection.is_open());
  const std::string head = expect_continue_head(2 * 1024 * 1024);
  ASSERT_EQ(connection.send(head), head.size());
  ASSERT_TRUE(connection.wait_for("request_too_large", kSanitized ? 5000ms : 2000ms)) << connection.received();
  EXPECT_EQ(connection.received().rfind("HTTP/1.1 413", 0), 0u) << connection.received();
  EXPECT_EQ(connection.received().find("100 Continue"), std::string::npos) << connection.received();
}

TEST_P(ConformanceTest, StreamErrorDropAndTrickle) {
  const TestResponse error = send({.body = kChatStream, .headers = {{"x-mock-fault", "stream_error"}}});
  EXPECT_EQ(error.status, 200);
  EXPECT_TRUE(error.complete);
  EXPECT_NE(error.body.find(R"j(data: {"error":{)j"), std::string::npos);
  EXPECT_EQ(error.body.find("[DONE]"), std::string::npos);

  const TestResponse drop = send({.body = kChatStream, .headers = {{"x-mock-fault", "drop"}}});
  EXPECT_FALSE(drop.complete);
  EXPECT_EQ(drop.body.find("[DONE]"), std::string::npos);
  const TestResponse drop_whole = send({.body = kChat, .headers = {{"x-mock-fault", "drop"}}});
  EXPECT_FALSE(drop_whole.complete);

  MockConfig config = MockConfig::fixed_latency(5ms, 1ms, 3);
  config.trickle_itl = 100ms;
  start(config);
  const TestResponse trickle = send({.body = kChatStream, .headers = {{"x-mock-fault", "trickle"}}});
  EXPECT_TRUE(trickle.complete);
  EXPECT_GE(static_cast<double>(trickle.done_ns - trickle.sent_ns) / 1e6, 200);
}

TEST_P(ConformanceTest, StallSendsNothingUntilTheClientGivesUp) {
  const TestResponse stall = send({.body = kChatStream, .headers = {{"x-mock-fault", "stall"}}, .timeout = 300ms});
  EXPECT_EQ(stall.status, 0);
  EXPECT_TRUE(stall.body.empty());
  EXPECT_GE(static_cast<double>(steady_now_ns() - stall.sent_ns) / 1e6, 290);
  // The server keeps serving others.
  EXPECT_EQ(send({.body = kChat}).status, 200);
}

TEST_P(ConformanceTest, BadInputGetsTheRightStatus) {
  const TestResponse bad_json = send({.body = "{oops"});
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(json::parse(bad_json.body).at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(send({.target = "/v1/unknown", .body = kChat}).status, 404);
  const TestResponse method = send({.method = "GET", .target = "/v1/chat/completions"});
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(json::parse(method.body).at("error").at("code"), "method_not_allowed");
  EXPECT_EQ(send({.body = R"j({"model":"m","messages":{}})j"}).status, 400);
  EXPECT_EQ(send({.body = kChat, .headers = {{"x-mock-output-tokens", "-1"}}}).status, 400);

  MockConfig config = MockConfig::fixed_latency(1ms, 1ms, 2);
  config.max_body_bytes = 1000;
  start(config);
  const TestResponse big = send({.body = std::string(5000, ' ') + kChat});
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(json::parse(big.body).at("error").at("code"), "request_too_large");
  // Garbage bytes get a 400 or a closed connection, and the server keeps serving.
  const std::string garbage = TestHttpClient(server_->port()).send_raw("\x01\x02 NOT HTTP\r\n\r\n", 2000ms);
  EXPECT_TRUE(garbage.empty() || garbage.starts_with("HTTP/1.1 400")) << garbage;
  EXPECT_EQ(send({.body = kChat}).status, 200);
}

// A request whose body is over the limit is answered by the route it was sent to (both engines
// share the answer): the status is always the one its body names.
TEST_P(ConformanceTest, ABodyOverTheLimitGetsItsRoutesAnswerWithAMatchingStatus) {
  MockConfig config = MockConfig::fixed_latency(1ms, 1ms, 2);
  config.max_body_bytes = 1000;
  start(config);
  const TestResponse unknown = send({.target = "/v1/unknown", .body = std::string(5000, ' ') + kChat});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(json::parse(unknown.body).at("error").at("code"), "unknown_url");
  const TestResponse ollama = send({.target = "/api/chat", .body = std::string(5000, ' ') + kChat});
  EXPECT_EQ(ollama.status, 413) << ollama.body;
  EXPECT_TRUE(json::parse(ollama.body).at("error").is_string()) << ollama.body;  // Ollama's shape
}

// The x-mock-* headers act alike on every engine, whatever the case of their names.
TEST_P(ConformanceTest, ControlHeadersActAlikeInAnyCase) {
  const TestResponse two = send({.body = kChatStream, .headers = {{"X-Mock-Output-Tokens", "2"}}});
  ASSERT_TRUE(two.complete) << two.error;
  const auto events = testing::parse_sse(two.body);
  ASSERT_TRUE(events);
  EXPECT_EQ(json::parse((*events)[events->size() - 2]).at("usage").at("completion_tokens"), 2);
  const TestResponse slow = send({.body = kChat, .headers = {{"x-mock-ttft-ms", "150"}}});
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(static_cast<double>(slow.done_ns - slow.sent_ns) / 1e6, 150);
  EXPECT_EQ(send({.body = kChat, .headers = {{"X-MOCK-FAULT", "503"}}}).status, 503);
  for (const char* name : {"x-mock-ttft-ms", "x-mock-itl-ms", "x-mock-output-tokens", "x-mock-fault"}) {
    const TestResponse bad = send({.body = kChat, .headers = {{name, "bogus"}}});
    EXPECT_EQ(bad.status, 400) << name;
    EXPECT_EQ(json::parse(bad.body).at("error").at("param"), name);
  }
}

TEST_P(ConformanceTest, SlotsQueueThenRejectOverLoopback) {
  MockConfig config = MockConfig::fixed_latency(200ms, 1ms, 1);
  config.decode_slots = 1;
  config.max_waiting = 0;
  start(config);
  TestHttpClient holder(server_->port());
  // A first request in another connection holds the only slot for 200 ms...
  std::thread first([&] { EXPECT_EQ(holder.send({.body = kChat}).status, 200); });
  // ...so a second one, sent once the first is running, finds no slot and no queue room.
  TestResponse second;
  for (int i = 0; i < 100; ++i) {
    const TestResponse metrics = send({.method = "GET", .target = "/metrics"});
    if (metrics.body.find("vllm:num_requests_running{model_name=\"mock-model\"} 1") != std::string::npos) {
      second = send({.body = kChat});
      break;
    }
  }
  first.join();
  EXPECT_EQ(second.status, 429);
  EXPECT_EQ(json::parse(second.body).at("error").at("code"), "queue_full");
}

TEST_P(ConformanceTest, StopsPromptlyWithStreamsInFlight) {
  start(MockConfig::fixed_latency(5ms, 200ms, 1000));
  TestHttpClient client(server_->port());
  std::thread streaming([&] { client.send({.body = kChatStream, .timeout = 10s}); });
  for (int i = 0; i < 100; ++i) {
    if (send({.method = "GET", .target = "/metrics"}).body.find("vllm:num_requests_running{model_name=\"mock-model\"} 1") !=
        std::string::npos) {
      break;
    }
  }
  const auto before = steady_now_ns();
  server_->stop();
  EXPECT_LE(static_cast<double>(steady_now_ns() - before) / 1e6, upper_bound_ms(0, 3000));  // the stream: 200 s
  streaming.join();
}

INSTANTIATE_TEST_SUITE_P(Engines, ConformanceTest, ::testing::ValuesIn(testing::all_engine_setups()),
                         [](const ::testing::TestParamInfo<testing::EngineSetup>& setup) { return setup.param.name(); });

}  // namespace
}  // namespace llmbench::mock
