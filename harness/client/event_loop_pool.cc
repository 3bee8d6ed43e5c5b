#include "harness/client/event_loop_pool.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <mutex>
#include <thread>

namespace llmbench::harness {

struct EventLoopPool::Loop {
  explicit Loop(const Endpoint& endpoint) : io(1), client(io, endpoint) {}

  // Runs fn on this loop until fn's coroutine is done (not until the loop runs dry: curl's
  // idle sockets and timers may keep work queued), then leaves the rest for the next run.
  std::exception_ptr run(std::size_t index, const LoopFunction& fn) {
    std::exception_ptr error;
    io.restart();
    boost::asio::co_spawn(io, fn(index, client), [this, &error](std::exception_ptr e) {
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
  CoroutineClient client;
};

EventLoopPool::EventLoopPool(const Endpoint& endpoint, std::size_t threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  loops_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) loops_.push_back(std::make_unique<Loop>(endpoint));
}

EventLoopPool::~EventLoopPool() = default;

void EventLoopPool::run_on_loops(const LoopFunction& fn) {
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

void EventLoopPool::run_on_loop(std::size_t loop_index, const LoopFunction& fn) {
  if (const std::exception_ptr error = loops_.at(loop_index)->run(loop_index, fn))
    std::rethrow_exception(error);
}

void EventLoopPool::cancel_all() noexcept {
  for (auto& loop : loops_) loop->client.cancel_all();
}

void EventLoopPool::reset_cancel() noexcept {
  for (auto& loop : loops_) loop->client.reset_cancel();
}

std::size_t EventLoopPool::size() const noexcept { return loops_.size(); }

CoroutineClient& EventLoopPool::client(std::size_t loop_index) { return loops_.at(loop_index)->client; }

}  // namespace llmbench::harness
