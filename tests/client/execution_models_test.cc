// What the execution models do apart from the conformance suite: the threaded model's loops
// on their own threads and its sliding window, Executor::abatch's window, token streams and
// the coroutine loops.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include "common/clock.h"
#include "harness/client/client.h"
#include "harness/client/coroutine_client.h"
#include "mock_provider/mock_server.h"
#include "tests/support/sanitizers.h"

namespace llmbench::harness {
namespace {

using namespace std::chrono_literals;

class ExecutionModels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto config = mock::MockConfig::fixed_latency(100ms, 5ms, 4);
    config.port = 0;
    server_ = std::make_unique<mock::MockServer>(config);
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }
  static Endpoint endpoint() {
    Endpoint e;
    e.base_url = server_->base_url();
    e.timeouts.total = 20s;
    return e;
  }
  static ChatRequest request() {
    ChatRequest r;
    r.messages = {{"user", "hello"}};
    return r;
  }
  static double seconds_since(std::int64_t t0) { return static_cast<double>(steady_now_ns() - t0) / 1e9; }
  static std::unique_ptr<mock::MockServer> server_;
};

std::unique_ptr<mock::MockServer> ExecutionModels::server_;

TEST_F(ExecutionModels, ThreadedRunOnLoopsRunsOnceOnEveryWorkerConcurrently) {
  Client client(ExecutionModel::threaded, endpoint(), 4);
  std::mutex mutex;
  std::set<std::size_t> indices;
  std::set<std::thread::id> threads;
  std::atomic<int> ok{0};
  client.run_on_loops([&](std::size_t index, Executor& worker) -> boost::asio::awaitable<void> {
    const auto result = co_await worker.ainvoke(request());
    std::lock_guard lock(mutex);
    indices.insert(index);
    threads.insert(std::this_thread::get_id());
    if (result.ok()) ++ok;
  });
  EXPECT_EQ(indices, (std::set<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(threads.size(), 4u);
  EXPECT_EQ(ok.load(), 4);
  EXPECT_THROW(client.run_on_loops([](std::size_t index, Executor&) -> boost::asio::awaitable<void> {
    if (index == 2) throw std::runtime_error("boom");
    co_return;
  }),
               std::runtime_error);
}

TEST_F(ExecutionModels, ThreadedBatchNeverExceedsItsWindow) {
  Client client(ExecutionModel::threaded, endpoint(), 4);
  const std::vector<ChatRequest> requests(6, request());
  BatchOptions options;
  options.max_concurrency = 2;
  const auto t0 = steady_now_ns();
  const auto results = client.batch(requests, options);
  // 6 requests of >= ~115 ms, 2 at a time: at least 3 rounds.
  EXPECT_GE(seconds_since(t0), 0.3);
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.record.error_message;
}

TEST_F(ExecutionModels, AbatchSemaphoreLimitsConcurrencyAndUnboundedRunsAllAtOnce) {
  boost::asio::io_context io;
  CoroutineClient client(io, endpoint());
  const std::vector<ChatRequest> requests(6, request());
  double limited_s = 0, unbounded_s = 0;
  std::vector<InvokeResult> results;
  auto done = boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        BatchOptions options;
        options.max_concurrency = 2;
        auto t0 = steady_now_ns();
        results = co_await client.abatch(requests, options);
        limited_s = seconds_since(t0);
        options.max_concurrency = 0;
        t0 = steady_now_ns();
        co_await client.abatch(requests, options);
        unbounded_s = seconds_since(t0);
      },
      boost::asio::use_future);
  io.run();
  done.get();
  EXPECT_GE(limited_s, 0.3);
  EXPECT_LT(unbounded_s, limited_s);
  ASSERT_EQ(results.size(), 6u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i].record.error_message;
    EXPECT_EQ(results[i].record.index, i);
  }
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(ExecutionModels, TokenStreamYieldsEveryContentDeltaThenTheRecord) {
  boost::asio::io_context io;
  CoroutineClient client(io, endpoint());
  std::vector<std::string> tokens;
  RequestRecord record;
  auto done = boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        TokenStream stream = client.astream_tokens(request());
        while (auto token = co_await stream.next()) tokens.push_back(*token);
        record = stream.record();
      },
      boost::asio::use_future);
  io.run();
  done.get();
  ASSERT_TRUE(record.ok()) << record.error_message;
  EXPECT_EQ(tokens.size(), 4u);
  EXPECT_EQ(record.output_tokens, 4u);
  for (const auto& t : tokens) EXPECT_FALSE(t.empty());
}

TEST_F(ExecutionModels, CoroutineLoopsRunEachOnItsOwnThreadAndRethrow) {
  Client pool(ExecutionModel::coroutine, endpoint(), 2);
  ASSERT_EQ(pool.size(), 2u);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> ok{0};
  pool.run_on_loops([&](std::size_t, Executor& client) -> boost::asio::awaitable<void> {
    const auto result = co_await client.ainvoke(request());
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
    if (result.ok()) ++ok;
  });
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_EQ(ok.load(), 2);
  // The loops keep their clients (and connections) between runs.
  bool reused = false;
  pool.run_on_loop(0, [&](std::size_t, Executor& client) -> boost::asio::awaitable<void> {
    reused = (co_await client.ainvoke(request())).record.connection_reused;
  });
  EXPECT_TRUE(reused);
  EXPECT_THROW(pool.run_on_loops([](std::size_t loop, Executor&) -> boost::asio::awaitable<void> {
    if (loop == 1) throw std::runtime_error("boom");
    co_return;
  }),
               std::runtime_error);
}

// A kept-alive connection stays registered with the reactor between requests (curl removes
// and re-adds its socket around each one): every later request, streamed or not, must reuse
// it and complete, and the loop must still run dry afterwards (no wait left pending).
TEST_F(ExecutionModels, CoroutineRequestsOneAfterAnotherReuseOneConnection) {
  boost::asio::io_context io;
  CoroutineClient client(io, endpoint());
  std::vector<InvokeResult> results;
  auto done = boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (int i = 0; i < 6; ++i) {
          if (i % 2 == 0) {
            results.push_back(co_await client.ainvoke(request()));
          } else {
            results.push_back(co_await client.astream(request(), nullptr));
          }
        }
      },
      boost::asio::use_future);
  io.run();  // returns only once nothing is pending on the loop
  done.get();
  ASSERT_EQ(results.size(), 6u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_TRUE(results[i].ok()) << i << ": " << results[i].record.error_message;
    EXPECT_EQ(results[i].record.connection_reused, i > 0) << i;
  }
  EXPECT_EQ(results[1].record.output_tokens, 4u);
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST_F(ExecutionModels, CoroutineCancelAllAbortsEveryInFlightRequest) {
  boost::asio::io_context io;
  CoroutineClient client(io, endpoint());
  ChatRequest slow = request();
  slow.headers = {{"x-mock-output-tokens", "2000"}};  // 10 s if not cancelled
  const std::vector<ChatRequest> requests(5, slow);
  std::vector<InvokeResult> results;
  struct CancelOnFirstToken : StreamObserver {
    CoroutineClient* client = nullptr;
    void on_first_token(std::int64_t) override { client->cancel_all(); }
  } canceller;
  canceller.client = &client;
  bool batch_done = false, single_done = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        BatchOptions options;
        options.stream = true;
        results = co_await client.abatch(requests, options);
        batch_done = true;
      },
      boost::asio::detached);
  // One more request whose first token calls cancel_all while the batch is in flight.
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        co_await client.astream(slow, &canceller);
        single_done = true;
      },
      boost::asio::detached);
  const auto t0 = steady_now_ns();
  while (!(batch_done && single_done) && io.run_one() > 0) {
  }
  // Widened under sanitizers, but kept under the 10 s an uncancelled request takes.
  EXPECT_LT(seconds_since(t0), std::min(5.0 * test_support::kTimingSlack, 9.0));
  ASSERT_EQ(results.size(), 5u);
  for (const auto& r : results) EXPECT_EQ(r.record.error, ErrorKind::cancelled);
}

}  // namespace
}  // namespace llmbench::harness
