// The asio engine's own timeouts: deadlines kept per connection and enforced by one sweeper
// (not by a timer re-armed around every read and write), over loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "mock_provider/mock_server.h"
#include "tests/mock_provider/test_http_client.h"
#include "tests/support/sanitizers.h"

namespace llmbench::mock {
namespace {

using namespace std::chrono_literals;
using testing::TestHttpClient;

// How long the test client waits for an answer: the server must hang up well before it, so the
// elapsed-time bounds below tell a server-side close from the client giving up.
const auto kClientWait = std::chrono::milliseconds(static_cast<std::int64_t>(5000 * test_support::kTimingSlack));

class AsioEngineTimeoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MockConfig config = MockConfig::fixed_latency(1ms, 1ms, 2);
    config.port = 0;
    config.idle_timeout = 300ms;
    server_ = std::make_unique<MockServer>(config, EngineKind::asio);
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }

  std::unique_ptr<MockServer> server_;
};

double ms_since(std::int64_t start_ns) { return static_cast<double>(steady_now_ns() - start_ns) / 1e6; }

TEST_F(AsioEngineTimeoutTest, ClosesARequestThatNeverCompletesAfterTheIdleTimeout) {
  const std::int64_t start = steady_now_ns();
  // The client would wait kClientWait; the server must hang up first, after about 300 ms.
  const std::string reply =
      TestHttpClient(server_->port()).send_raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n", kClientWait);
  const double elapsed = ms_since(start);
  EXPECT_TRUE(reply.empty()) << reply;
  EXPECT_GE(elapsed, 250);
  EXPECT_LE(elapsed, test_support::upper_bound_ms(300, 2700));
}

TEST_F(AsioEngineTimeoutTest, ClosesAnIdleKeepAliveConnectionAfterServingIt) {
  const std::int64_t start = steady_now_ns();
  const std::string reply =
      TestHttpClient(server_->port())
          .send_raw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", kClientWait);
  const double elapsed = ms_since(start);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find(R"({"status":"ok"})"), std::string::npos) << reply;
  EXPECT_GE(elapsed, 250);
  EXPECT_LE(elapsed, test_support::upper_bound_ms(300, 2700));
}

TEST_F(AsioEngineTimeoutTest, KeepsServingWhileOtherConnectionsTimeOut) {
  TestHttpClient idle(server_->port());
  const std::string closed = idle.send_raw("GET /health HTTP/1.1\r\n", kClientWait);
  EXPECT_TRUE(closed.empty()) << closed;
  testing::TestRequest request;
  request.body = R"j({"model":"mock-model","messages":[{"role":"user","content":"hi"}],"stream":true})j";
  const testing::TestResponse r = TestHttpClient(server_->port()).send(request);
  EXPECT_TRUE(r.complete) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::mock
