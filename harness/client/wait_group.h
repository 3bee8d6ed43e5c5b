#pragma once

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>
#include <utility>

namespace llmbench::harness {

// "Spawn N coroutines and wait for all" on one single-threaded io_context: spawn() any number,
// then co_await wait(), which returns once every one has finished and rethrows the first
// exception any of them threw. Used on that loop's thread only.
class WaitGroup {
 public:
  explicit WaitGroup(const boost::asio::any_io_executor& executor)
      : executor_(executor), all_done_(executor, boost::asio::steady_timer::time_point::max()) {}

  // `make` is a callable returning an awaitable; co_spawn keeps it alive while it runs.
  template <typename MakeAwaitable>
  void spawn(MakeAwaitable make) {
    ++pending_;
    boost::asio::co_spawn(executor_, std::move(make), [this](std::exception_ptr error, auto&&...) {
      if (error && !error_) error_ = error;
      if (--pending_ == 0) all_done_.cancel();
    });
  }

  boost::asio::awaitable<void> wait() {
    while (pending_ > 0) co_await all_done_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer all_done_;  // cancelled to wake wait()
  std::size_t pending_ = 0;
  std::exception_ptr error_;
};

// A sliding window (never waves): `lanes` coroutines on the calling loop each take the next
// index from `next` as soon as they are free, until `count` are taken, and run
// co_await body(index). `next` may be shared by the windows of several loops.
template <typename Body>
boost::asio::awaitable<void> sliding_window(std::size_t lanes, std::atomic<std::size_t>& next, std::size_t count,
                                            Body& body) {
  WaitGroup group(co_await boost::asio::this_coro::executor);
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    group.spawn([&]() -> boost::asio::awaitable<void> {
      for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) co_await body(i);
    });
  }
  co_await group.wait();
}

}  // namespace llmbench::harness
