#include "harness/client/client.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <thread>

#include "harness/client/coroutine_client.h"
#include "harness/client/sync_client.h"
#include "harness/client/wait_group.h"

namespace llmbench::harness {

struct Client::Loop {
  Loop(ExecutionModel model, const Endpoint& endpoint) : io(1) {
    if (model == ExecutionModel::coroutine) {
      executor = std::make_unique<CoroutineClient>(io, endpoint);
    } else {
      executor = std::make_unique<SyncClient>(endpoint);
    }
  }

  // Runs fn on this loop until fn's coroutine is done (not until the loop runs dry: curl's
  // idle sockets and timers may keep work queued), then leaves the rest for the next run.
  std::exception_ptr run(std::size_t index, const LoopFunction& fn) {
    std::exception_ptr error;
    io.restart();
    boost::asio::co_spawn(io, fn(index, *executor), [this, &error](std::exception_ptr e) {
      error = e;
      io.stop();
    });
    try {
      io.run();
    } catch (...) {
      if (!error) error = std::current_exception();
    }
    return error;
  }

  boost::asio::io_context io;
  std::unique_ptr<Executor> executor;  // after io: destroyed first
};

Client::Client(ExecutionModel model, const Endpoint& endpoint, std::size_t threads) : model_(model) {
  if (model == ExecutionModel::sync) threads = 1;
  if (threads == 0) threads = model == ExecutionModel::coroutine ? std::max(1u, std::thread::hardware_concurrency()) : 1;
  loops_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) loops_.push_back(std::make_unique<Loop>(model, endpoint));
}

Client::~Client() = default;

void Client::run_on_loops(const LoopFunction& fn) {
  std::vector<std::exception_ptr> errors(loops_.size());
  {
    std::vector<std::jthread> threads;
    threads.reserve(loops_.size());
    for (std::size_t i = 1; i < loops_.size(); ++i) {
      threads.emplace_back([this, i, &fn, &errors] { errors[i] = loops_[i]->run(i, fn); });
    }
    errors[0] = loops_[0]->run(0, fn);  // the calling thread runs loop 0
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

void Client::run_on_loop(std::size_t loop_index, const LoopFunction& fn) {
  if (const std::exception_ptr error = loops_.at(loop_index)->run(loop_index, fn)) std::rethrow_exception(error);
}

InvokeResult Client::invoke(const ChatRequest& request) {
  InvokeResult result;
  run_on_loop(0, [&](std::size_t, Executor& executor) -> boost::asio::awaitable<void> {
    result = co_await executor.ainvoke(request);
  });
  return result;
}

InvokeResult Client::stream(const ChatRequest& request, StreamObserver& observer) {
  InvokeResult result;
  run_on_loop(0, [&](std::size_t, Executor& executor) -> boost::asio::awaitable<void> {
    result = co_await executor.astream(request, &observer);
  });
  return result;
}

std::vector<InvokeResult> Client::batch(std::span<const ChatRequest> requests, const BatchOptions& options) {
  std::vector<InvokeResult> results(requests.size());
  if (requests.empty()) return results;
  const std::size_t window =
      options.max_concurrency == 0 ? requests.size() : std::min(options.max_concurrency, requests.size());
  const std::size_t loops = std::min(size(), window);
  std::atomic<std::size_t> next{0};  // one window over every loop
  run_on_loops([&](std::size_t loop, Executor& executor) -> boost::asio::awaitable<void> {
    if (loop >= loops) co_return;
    auto body = [&](std::size_t i) -> boost::asio::awaitable<void> {
      results[i] = co_await executor.send(
          requests[i], SendSpec{.index = i, .stream = options.stream, .keep_text = options.keep_text});
    };
    co_await sliding_window(window / loops + (loop < window % loops ? 1 : 0), next, requests.size(), body);
  });
  throw_if_batch_failed(results, options);
  return results;
}

void Client::cancel() noexcept {
  for (auto& loop : loops_) loop->executor->cancel_all();
}

void Client::reset_cancel() noexcept {
  for (auto& loop : loops_) loop->executor->reset_cancel();
}

Executor& Client::executor(std::size_t loop_index) { return *loops_.at(loop_index)->executor; }

std::unique_ptr<Client> make_client(ExecutionModel model, const Endpoint& endpoint, std::size_t threads) {
  return std::make_unique<Client>(model, endpoint, threads);
}

}  // namespace llmbench::harness
