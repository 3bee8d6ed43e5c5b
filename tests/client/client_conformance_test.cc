// One conformance suite over the three execution models (sync, threaded, coroutine) against
// the embedded mock provider: through Executor::send on the Client's loops, exactly as the
// load drivers call it, and through the invoke / batch / stream facade over it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/input_error.h"
#include "harness/client/client.h"
#include "harness/client/sync_client.h"
#include "harness/client/wait_group.h"
#include "mock_provider/mock_server.h"
#include "tests/support/every_execution_model.h"
#include "tests/support/sanitizers.h"

namespace llmbench::harness {
namespace {

using namespace std::chrono_literals;
constexpr double kMs = 1e6;
using test_support::upper_bound_ms;  // upper bounds widen their margin under sanitizers

class RecordingObserver : public StreamObserver {
 public:
  void on_start(std::int64_t) override { ++starts; }
  void on_retry(std::uint16_t, std::int64_t) override { ++retries; }
  void on_first_token(std::int64_t now) override {
    ++first_tokens;
    if (on_first) on_first();
    first_token_ns = now;
  }
  void on_token(std::string_view content, std::int64_t) override {
    ++tokens;
    text.append(content);
  }
  void on_end(const RequestRecord&) override { ++ends; }
  void on_error(const RequestRecord&) override { ++errors; }

  int starts = 0, retries = 0, first_tokens = 0, tokens = 0, ends = 0, errors = 0;
  std::int64_t first_token_ns = 0;
  std::string text;
  std::function<void()> on_first;
};

ChatRequest make_request(std::vector<std::pair<std::string, std::string>> headers = {},
                         std::optional<std::uint64_t> seed = std::nullopt) {
  ChatRequest request;
  request.messages = {{"user", "Tell me about load testing."}};
  request.headers = std::move(headers);
  request.seed = seed;
  return request;
}

class ClientConformance : public ::testing::TestWithParam<ExecutionModel> {
 protected:
  static void SetUpTestSuite() {
    auto config = mock::MockConfig::fixed_latency(50ms, 10ms, 8);
    config.port = 0;
    config.seed = 1234;
    config.trickle_itl = 120ms;
    config.stall_timeout = 20s;
    server_ = std::make_unique<mock::MockServer>(config);
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  Endpoint endpoint() const {
    Endpoint e;
    e.base_url = server_->base_url();
    e.timeouts.connect = 2s;
    e.timeouts.first_token = 5s;
    e.timeouts.total = 20s;
    return e;
  }
  std::unique_ptr<Client> client(const Endpoint& e, std::size_t n = 4) const {
    return make_client(GetParam(), e, n);
  }

  static std::unique_ptr<mock::MockServer> server_;
};

std::unique_ptr<mock::MockServer> ClientConformance::server_;

TEST_P(ClientConformance, InvokeReturnsTheWholeCompletionWithUsage) {
  auto c = client(endpoint());
  EXPECT_EQ(c->model(), GetParam());
  const InvokeResult result = c->invoke(make_request());
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.http_status, 200);
  EXPECT_FALSE(result.text.empty());
  EXPECT_TRUE(result.record.usage_reported);
  EXPECT_EQ(result.record.output_tokens, 8u);
  EXPECT_EQ(result.record.token_ns.size(), 1u);
  EXPECT_EQ(result.record.finish_reason, "stop");
  // TTFT 50 ms + 7 x 10 ms before the body is complete; generous upper bound.
  const double e2e_ms = static_cast<double>(result.record.end_ns - result.record.start_ns) / kMs;
  EXPECT_GE(e2e_ms, 115.0);
  EXPECT_LT(e2e_ms, upper_bound_ms(120, 880));
  EXPECT_GT(result.record.headers_ns, 0);
}

TEST_P(ClientConformance, StreamTimestampsEveryTokenAndCallsTheObserverInOrder) {
  auto c = client(endpoint());
  RecordingObserver observer;
  const InvokeResult result = c->stream(make_request(), observer);
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  const RequestRecord& r = result.record;
  EXPECT_EQ(r.output_tokens, 8u);
  EXPECT_TRUE(r.usage_reported);
  ASSERT_FALSE(r.token_ns.empty());
  EXPECT_LE(r.token_ns.size(), 8u);  // tokens due together may arrive in one read
  EXPECT_EQ(r.first_token_ns, r.token_ns.front());
  for (std::size_t i = 1; i < r.token_ns.size(); ++i) EXPECT_GE(r.token_ns[i], r.token_ns[i - 1]);
  const double ttft_ms = static_cast<double>(r.first_token_ns - r.start_ns) / kMs;
  EXPECT_GE(ttft_ms, 50.0);
  EXPECT_LT(ttft_ms, upper_bound_ms(50, 100));
  EXPECT_EQ(observer.starts, 1);
  EXPECT_EQ(observer.first_tokens, 1);
  EXPECT_EQ(observer.tokens, static_cast<int>(r.token_ns.size()));
  EXPECT_EQ(observer.ends, 1);
  EXPECT_EQ(observer.errors, 0);
  EXPECT_EQ(observer.text, result.text);
  EXPECT_EQ(observer.first_token_ns, r.first_token_ns);
}

TEST_P(ClientConformance, SameSeedGivesTheSameTextAsTheSyncReference) {
  SyncClient reference(endpoint());
  const auto expected = reference.invoke(make_request({}, 77));
  ASSERT_TRUE(expected.ok());
  auto c = client(endpoint());
  RecordingObserver observer;
  EXPECT_EQ(c->invoke(make_request({}, 77)).text, expected.text);
  EXPECT_EQ(c->stream(make_request({}, 77), observer).text, expected.text);
}

TEST_P(ClientConformance, BatchReturnsResultsInInputOrder) {
  auto c = client(endpoint(), 3);
  std::vector<ChatRequest> requests;
  for (int i = 0; i < 7; ++i) {
    // Later inputs finish first (shorter), so ordering cannot come from completion order.
    requests.push_back(
        make_request({{"x-mock-output-tokens", std::to_string(8 - i)}, {"x-mock-ttft-ms", "5"}}));
  }
  for (bool stream : {false, true}) {
    BatchOptions options;
    options.max_concurrency = 3;
    options.stream = stream;
    const auto results = c->batch(requests, options);
    ASSERT_EQ(results.size(), requests.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      ASSERT_TRUE(results[i].ok()) << results[i].record.error_message;
      EXPECT_EQ(results[i].record.index, i);
      EXPECT_EQ(results[i].record.output_tokens, 8 - i) << "stream=" << stream << " i=" << i;
    }
  }
}

TEST_P(ClientConformance, BatchReturnsOrRaisesFailures) {
  auto c = client(endpoint(), 2);
  const std::vector<ChatRequest> requests = {make_request(), make_request({{"x-mock-fault", "500"}}),
                                             make_request()};
  BatchOptions options;
  const auto results = c->batch(requests, options);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].record.error, ErrorKind::http_5xx);
  EXPECT_TRUE(results[2].ok());
  options.return_exceptions = false;
  try {
    c->batch(requests, options);
    FAIL() << "expected BatchError";
  } catch (const BatchError& e) {
    EXPECT_EQ(e.first_failed(), 1u);
    ASSERT_EQ(e.results().size(), 3u);
    EXPECT_TRUE(e.results()[2].ok());  // every request still ran
  }
}

struct FaultCase {
  const char* fault;
  ErrorKind expected;
};

TEST_P(ClientConformance, EveryMockFaultMapsToItsErrorKind) {
  Endpoint e = endpoint();
  e.timeouts.first_token = 400ms;  // for the stall
  auto c = client(e);
  for (const FaultCase& fc :
       {FaultCase{"429", ErrorKind::http_429}, FaultCase{"500", ErrorKind::http_5xx},
        FaultCase{"503", ErrorKind::http_5xx}, FaultCase{"stream_error", ErrorKind::stream_error},
        FaultCase{"drop", ErrorKind::truncated}, FaultCase{"stall", ErrorKind::timeout}}) {
    RecordingObserver observer;
    const auto result = c->stream(make_request({{"x-mock-fault", fc.fault}}), observer);
    EXPECT_EQ(result.record.error, fc.expected)
        << fc.fault << ": got " << error_kind_name(result.record.error) << " (" << result.record.error_message
        << ")";
    EXPECT_EQ(observer.errors, 1) << fc.fault;
    EXPECT_EQ(observer.ends, 0) << fc.fault;
    EXPECT_FALSE(result.record.error_message.empty()) << fc.fault;
  }
  // Invoke sees the HTTP faults the same way.
  EXPECT_EQ(c->invoke(make_request({{"x-mock-fault", "429"}})).record.error, ErrorKind::http_429);
  EXPECT_EQ(c->invoke(make_request({{"x-mock-fault", "503"}})).record.error, ErrorKind::http_5xx);
  EXPECT_EQ(c->invoke(make_request({{"x-mock-fault", "drop"}})).record.error, ErrorKind::truncated);
}

TEST_P(ClientConformance, TrickleSucceedsSlowly) {
  auto c = client(endpoint());
  RecordingObserver observer;
  const auto result =
      c->stream(make_request({{"x-mock-fault", "trickle"}, {"x-mock-output-tokens", "3"}}), observer);
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  ASSERT_GE(result.record.token_ns.size(), 2u);
  const double gap_ms = static_cast<double>(result.record.token_ns[1] - result.record.token_ns[0]) / kMs;
  EXPECT_GE(gap_ms, 100.0);  // trickle_itl = 120 ms instead of 10 ms
}

TEST_P(ClientConformance, FirstTokenAndTotalTimeoutsEndStalledRequests) {
  Endpoint e = endpoint();
  e.timeouts.first_token = 300ms;
  auto c = client(e);
  RecordingObserver observer;
  const auto streamed = c->stream(make_request({{"x-mock-fault", "stall"}}), observer);
  EXPECT_EQ(streamed.record.error, ErrorKind::timeout);
  double ms = static_cast<double>(streamed.record.end_ns - streamed.record.start_ns) / kMs;
  EXPECT_GE(ms, 300.0);
  EXPECT_LT(ms, upper_bound_ms(300, 1200));  // the stall itself lasts stall_timeout = 20 s

  e.timeouts.total = 400ms;
  auto c2 = client(e);
  const auto invoked = c2->invoke(make_request({{"x-mock-fault", "stall"}}));
  EXPECT_EQ(invoked.record.error, ErrorKind::timeout);
  ms = static_cast<double>(invoked.record.end_ns - invoked.record.start_ns) / kMs;
  EXPECT_GE(ms, 390.0);  // curl's own timer has millisecond granularity
  EXPECT_LT(ms, upper_bound_ms(400, 1100));
}

TEST_P(ClientConformance, RetriesHonourRetryAfterAndAreCounted) {
  Endpoint e = endpoint();
  e.retry.max_retries = 1;
  e.retry.initial_backoff = 5ms;  // the mock's retry-after-ms: 1000 must win
  auto c = client(e);
  RecordingObserver observer;
  const auto result = c->stream(make_request({{"x-mock-fault", "429"}}), observer);
  EXPECT_EQ(result.record.error, ErrorKind::http_429);
  EXPECT_EQ(result.record.retries, 1u);
  EXPECT_EQ(observer.retries, 1);
  const double ms = static_cast<double>(result.record.end_ns - result.record.start_ns) / kMs;
  EXPECT_GE(ms, 1000.0);
  EXPECT_LT(ms, upper_bound_ms(1000, 2000));

  // Mid-stream failures are never retried.
  const auto dropped = c->stream(make_request({{"x-mock-fault", "drop"}}), observer);
  EXPECT_EQ(dropped.record.error, ErrorKind::truncated);
  EXPECT_EQ(dropped.record.retries, 0u);
}

TEST_P(ClientConformance, CancelFromAnotherThreadEndsTheRequestAsCancelled) {
  auto c = client(endpoint());
  RecordingObserver observer;
  std::promise<void> first_token;
  observer.on_first = [&] { first_token.set_value(); };
  std::thread canceller([&] {
    first_token.get_future().wait();
    c->cancel();
  });
  // 2000 tokens at 10 ms would take 20 s, well over the bound below even under sanitizers.
  const auto result = c->stream(make_request({{"x-mock-output-tokens", "2000"}}), observer);
  canceller.join();
  EXPECT_EQ(result.record.error, ErrorKind::cancelled);
  EXPECT_EQ(observer.errors, 1);
  const double ms = static_cast<double>(result.record.end_ns - result.record.first_token_ns) / kMs;
  EXPECT_LT(ms, upper_bound_ms(0, 2000));
  // Sticky: a later request is cancelled at once.
  EXPECT_EQ(c->invoke(make_request()).record.error, ErrorKind::cancelled);
}

TEST_P(ClientConformance, ConnectionIsReusedAcrossRequests) {
  auto c = client(endpoint(), 1);
  const auto first = c->invoke(make_request());
  const auto second = c->invoke(make_request());
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(first.record.connection_reused);
  EXPECT_TRUE(second.record.connection_reused);
}

TEST_P(ClientConformance, RefusedConnectionIsAConnectError) {
  Endpoint e = endpoint();
  e.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  auto c = client(e);
  const auto result = c->invoke(make_request());
  EXPECT_EQ(result.record.error, ErrorKind::connect);
  EXPECT_EQ(result.record.http_status, 0);
}

TEST_P(ClientConformance, OllamaFlavorStreamsAndInvokes) {
  Endpoint e = endpoint();
  e.flavor = ApiFlavor::ollama_chat;
  auto c = client(e);
  RecordingObserver observer;
  const auto streamed = c->stream(make_request(), observer);
  ASSERT_TRUE(streamed.ok()) << streamed.record.error_message;
  EXPECT_EQ(streamed.record.output_tokens, 8u);
  EXPECT_TRUE(streamed.record.usage_reported);
  EXPECT_EQ(observer.text, streamed.text);
  const auto invoked = c->invoke(make_request());
  ASSERT_TRUE(invoked.ok()) << invoked.record.error_message;
  EXPECT_FALSE(invoked.text.empty());
  EXPECT_EQ(c->stream(make_request({{"x-mock-fault", "drop"}}), observer).record.error, ErrorKind::truncated);
  EXPECT_EQ(c->stream(make_request({{"x-mock-fault", "stream_error"}}), observer).record.error,
            ErrorKind::stream_error);
}

TEST_P(ClientConformance, MissingApiKeyVariableIsAnInputErrorAndKeysNeverLeak) {
  Endpoint e = endpoint();
  e.api_key_env = "LLMBENCH_CLIENT_TEST_UNSET_VARIABLE";
  ::unsetenv(e.api_key_env.c_str());
  EXPECT_THROW(client(e), InputError);

  ::setenv("LLMBENCH_CLIENT_TEST_KEY", "sk-test-secret-4242", 1);
  e.api_key_env = "LLMBENCH_CLIENT_TEST_KEY";
  auto c = client(e);
  const auto result = c->invoke(make_request({{"x-mock-fault", "500"}}));
  EXPECT_EQ(result.record.error, ErrorKind::http_5xx);
  EXPECT_EQ(result.record.error_message.find("sk-test-secret-4242"), std::string::npos);
}

// Closed loop: C requests in flight against a mock of fixed latency L completes near C / L
// req/s in the concurrent models and near 1 / L in sync. Generous bounds; exact figures come
// from the client_bench program.
TEST_P(ClientConformance, ClosedLoopThroughputMatchesConcurrencyOverLatency) {
  constexpr std::size_t kConcurrency = 8;
  constexpr double kLatencyS = 0.1;
  auto c = client(endpoint(), kConcurrency);
  const std::size_t count = GetParam() == ExecutionModel::sync ? 4 : 32;
  std::vector<ChatRequest> requests(count,
                                    make_request({{"x-mock-ttft-ms", "100"}, {"x-mock-output-tokens", "1"}}));
  BatchOptions options;
  options.max_concurrency = kConcurrency;
  const auto t0 = steady_now_ns();
  const auto results = c->batch(requests, options);
  const double seconds = static_cast<double>(steady_now_ns() - t0) / 1e9;
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.record.error_message;
  const double rate = static_cast<double>(count) / seconds;
  const double ideal = GetParam() == ExecutionModel::sync ? 1.0 / kLatencyS : kConcurrency / kLatencyS;
  EXPECT_GT(rate, 0.5 * ideal) << "rate " << rate << " req/s, ideal " << ideal;
  EXPECT_LT(rate, 1.1 * ideal) << "rate " << rate << " req/s, ideal " << ideal;
}

// What the drivers rely on: a request is not sent before its intended start, and its record
// carries the slot's intended start and index.
TEST_P(ClientConformance, SendWaitsForTheIntendedStartAndRecordsIt) {
  auto c = client(endpoint(), 2);
  const ChatRequest request = make_request();
  const std::int64_t intended = steady_now_ns() + 150'000'000;
  InvokeResult result;
  c->run_on_loop(0, [&](std::size_t, Executor& executor) -> boost::asio::awaitable<void> {
    result =
        co_await executor.send(request, SendSpec{.index = 41, .intended_start_ns = intended, .stream = true});
  });
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.intended_start_ns, intended);
  EXPECT_EQ(result.record.index, 41u);
  EXPECT_GE(result.record.start_ns, intended);  // not sent before it
  EXPECT_GE(result.record.headers_ns, intended);
  EXPECT_LT(static_cast<double>(result.record.start_ns - intended) / kMs, upper_bound_ms(0, 20));
}

// Every loop at once: each request's record has its index, its status, and token stamps in
// order inside [start, end]; the load path's keep_text = false leaves the text empty.
TEST_P(ClientConformance, SendRecordsEveryRequestOnEveryLoop) {
  auto c = client(endpoint(), 3);
  const ChatRequest request = make_request({{"x-mock-ttft-ms", "5"}});
  std::mutex mutex;
  std::vector<InvokeResult> results;
  c->run_on_loops([&](std::size_t loop, Executor& executor) -> boost::asio::awaitable<void> {
    for (std::uint64_t k = 0; k < 3; ++k) {
      InvokeResult result = co_await executor.send(
          request, SendSpec{.index = loop * 10 + k, .stream = k != 1, .keep_text = false});
      std::lock_guard lock(mutex);
      results.push_back(std::move(result));
    }
  });
  ASSERT_EQ(results.size(), 3 * c->size());
  std::set<std::uint64_t> indices;
  for (const InvokeResult& result : results) {
    const RequestRecord& r = result.record;
    ASSERT_TRUE(r.ok()) << r.error_message;
    indices.insert(r.index);
    EXPECT_EQ(r.http_status, 200);
    EXPECT_TRUE(result.text.empty());
    EXPECT_EQ(r.output_tokens, 8u);
    EXPECT_EQ(r.intended_start_ns, r.start_ns);  // 0 given: now
    ASSERT_FALSE(r.token_ns.empty());
    EXPECT_EQ(r.first_token_ns, r.token_ns.front());
    EXPECT_LE(r.start_ns, r.headers_ns);
    EXPECT_LE(r.headers_ns, r.first_token_ns);
    for (std::size_t i = 1; i < r.token_ns.size(); ++i) EXPECT_GE(r.token_ns[i], r.token_ns[i - 1]);
    EXPECT_LE(r.token_ns.back(), r.end_ns);
  }
  EXPECT_EQ(indices.size(), results.size());
}

// Cancel from another thread while requests are in flight on every loop: each ends
// cancelled, one still waiting for its intended start is never sent, and the cancel is
// sticky (no request goes out after it).
TEST_P(ClientConformance, CancelEndsRequestsInFlightAndWaitingAndIsSticky) {
  auto c = client(endpoint(), 2);
  // 2000 tokens at 10 ms would take 20 s; the waiting one is due in 10 s.
  const ChatRequest slow = make_request({{"x-mock-output-tokens", "2000"}});
  struct FirstToken : StreamObserver {
    void on_first_token(std::int64_t) override {
      if (!seen.test_and_set()) promise.set_value();
    }
    std::atomic_flag seen;
    std::promise<void> promise;
  } first_token;
  std::thread canceller([&] {
    first_token.promise.get_future().wait();
    c->cancel();
  });
  std::mutex mutex;
  std::vector<InvokeResult> in_flight, waiting;
  const auto t0 = steady_now_ns();
  c->run_on_loops([&](std::size_t, Executor& executor) -> boost::asio::awaitable<void> {
    WaitGroup group(co_await boost::asio::this_coro::executor);
    group.spawn([&]() -> boost::asio::awaitable<void> {
      InvokeResult result = co_await executor.send(slow, SendSpec{.stream = true, .observer = &first_token});
      std::lock_guard lock(mutex);
      in_flight.push_back(std::move(result));
    });
    group.spawn([&]() -> boost::asio::awaitable<void> {
      InvokeResult result =
          co_await executor.send(slow, SendSpec{.intended_start_ns = steady_now_ns() + 10'000'000'000});
      std::lock_guard lock(mutex);
      waiting.push_back(std::move(result));
    });
    co_await group.wait();
  });
  canceller.join();
  EXPECT_LT(static_cast<double>(steady_now_ns() - t0) / kMs, std::min(upper_bound_ms(0, 3000), 9000.0));
  ASSERT_EQ(in_flight.size(), c->size());
  ASSERT_EQ(waiting.size(), c->size());
  for (const auto& r : in_flight) EXPECT_EQ(r.record.error, ErrorKind::cancelled) << r.record.error_message;
  for (const auto& r : waiting) {
    EXPECT_EQ(r.record.error, ErrorKind::cancelled) << r.record.error_message;
    EXPECT_EQ(r.record.http_status, 0);  // never sent
    EXPECT_EQ(r.record.headers_ns, 0);
  }
  const auto after = c->invoke(make_request());
  EXPECT_EQ(after.record.error, ErrorKind::cancelled);
  EXPECT_EQ(after.record.http_status, 0);
}

INSTANTIATE_TEST_SUITE_P(AllModels, ClientConformance, test_support::kEveryExecutionModel,
                         test_support::ExecutionModelName());

}  // namespace
}  // namespace llmbench::harness
