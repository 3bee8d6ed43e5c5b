#include "harness/client/client.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <utility>

#include "harness/client/event_loop_pool.h"
#include "harness/client/sync_client.h"
#include "harness/client/threaded_client.h"

namespace llmbench::harness {

namespace {

// The two blocking models share one facade: both block the caller for invoke/stream and run
// batch themselves (sequentially or as a sliding window over the pool).
template <typename BlockingClient, ExecutionModel kModel>
class BlockingFacade final : public Client {
 public:
  template <typename... Args>
  explicit BlockingFacade(Args&&... args) : client_(std::forward<Args>(args)...) {}
  InvokeResult invoke(const ChatRequest& request) override { return client_.invoke(request); }
  std::vector<InvokeResult> batch(std::span<const ChatRequest> requests,
                                  const BatchOptions& options) override {
    return client_.batch(requests, options);
  }
  InvokeResult stream(const ChatRequest& request, StreamObserver& observer) override {
    return client_.stream(request, &observer);
  }
  ExecutionModel model() const override { return kModel; }
  void cancel() noexcept override {
    if constexpr (kModel == ExecutionModel::sync) {
      client_.cancel();
    } else {
      client_.cancel_all();
    }
  }

 private:
  BlockingClient client_;
};

using SyncFacade = BlockingFacade<SyncClient, ExecutionModel::sync>;
using ThreadedFacade = BlockingFacade<ThreadedClient, ExecutionModel::threaded>;

// Single requests run on loop 0; a batch is spread over every loop as one sliding window:
// each loop runs its share of the max_concurrency lanes, and every lane takes the next
// input from one shared counter.
class CoroutineFacade final : public Client {
 public:
  CoroutineFacade(const Endpoint& endpoint, std::size_t threads) : pool_(endpoint, threads) {}

  InvokeResult invoke(const ChatRequest& request) override {
    InvokeResult result;
    pool_.run_on_loop(0, [&](std::size_t, CoroutineClient& client) -> boost::asio::awaitable<void> {
      result = co_await client.ainvoke(request);
    });
    return result;
  }

  InvokeResult stream(const ChatRequest& request, StreamObserver& observer) override {
    InvokeResult result;
    pool_.run_on_loop(0, [&](std::size_t, CoroutineClient& client) -> boost::asio::awaitable<void> {
      result = co_await client.astream(request, &observer);
    });
    return result;
  }

  std::vector<InvokeResult> batch(std::span<const ChatRequest> requests,
                                  const BatchOptions& options) override {
    std::vector<InvokeResult> results(requests.size());
    if (requests.empty()) return results;
    const std::size_t window =
        options.max_concurrency == 0 ? requests.size() : std::min(options.max_concurrency, requests.size());
    const std::size_t loops = std::min(pool_.size(), window);
    std::atomic<std::size_t> next{0};
    pool_.run_on_loops([&](std::size_t loop, CoroutineClient& client) -> boost::asio::awaitable<void> {
      if (loop >= loops) co_return;
      const std::size_t lanes = window / loops + (loop < window % loops ? 1 : 0);
      co_await run_lanes(client, lanes, requests, results, next, options.stream);
    });
    throw_if_batch_failed(results, options);
    return results;
  }

  ExecutionModel model() const override { return ExecutionModel::coroutine; }
  void cancel() noexcept override { pool_.cancel_all(); }

 private:
  static boost::asio::awaitable<void> lane(CoroutineClient& client, std::span<const ChatRequest> requests,
                                           std::vector<InvokeResult>& results, std::atomic<std::size_t>& next,
                                           bool stream) {
    for (std::size_t i = next.fetch_add(1); i < requests.size(); i = next.fetch_add(1)) {
      // (No co_await inside ?: — GCC 12 miscompiles that.)
      if (stream) {
        results[i] = co_await client.astream(requests[i], nullptr);
      } else {
        results[i] = co_await client.ainvoke(requests[i]);
      }
      results[i].record.index = i;
    }
  }

  static boost::asio::awaitable<void> run_lanes(CoroutineClient& client, std::size_t lanes,
                                                std::span<const ChatRequest> requests,
                                                std::vector<InvokeResult>& results,
                                                std::atomic<std::size_t>& next, bool stream) {
    auto& io = client.context();
    boost::asio::steady_timer all_done(io, boost::asio::steady_timer::time_point::max());
    std::size_t running = lanes;
    std::exception_ptr first_error;
    for (std::size_t l = 0; l < lanes; ++l) {
      boost::asio::co_spawn(io, lane(client, requests, results, next, stream), [&](std::exception_ptr error) {
        if (error && !first_error) first_error = error;
        if (--running == 0) all_done.cancel();
      });
    }
    while (running > 0) co_await all_done.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (first_error) std::rethrow_exception(first_error);
  }

  EventLoopPool pool_;
};

}  // namespace

std::unique_ptr<Client> make_client(ExecutionModel model, const Endpoint& endpoint,
                                    std::size_t concurrency_or_threads) {
  switch (model) {
    case ExecutionModel::sync:
      return std::make_unique<SyncFacade>(endpoint);
    case ExecutionModel::threaded:
      return std::make_unique<ThreadedFacade>(endpoint, std::max<std::size_t>(1, concurrency_or_threads));
    case ExecutionModel::coroutine:
      return std::make_unique<CoroutineFacade>(endpoint, concurrency_or_threads);
  }
  throw std::invalid_argument("make_client: unknown execution model");
}

}  // namespace llmbench::harness
