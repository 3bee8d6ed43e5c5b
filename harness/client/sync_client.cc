#include "harness/client/sync_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

#include "common/clock.h"
#include "harness/client/attempt_loop.h"
#include "harness/client/client_context.h"
#include "harness/client/transfer.h"

namespace llmbench::harness {

namespace {

// Longest single wait; curl shortens it to its own next timeout (connect/total) by itself.
constexpr int kMaxPollMs = 1000;

int poll_timeout_ms(std::int64_t deadline_ns, std::int64_t now_ns) {
  if (deadline_ns == 0) return kMaxPollMs;
  const std::int64_t remaining_ms = (deadline_ns - now_ns + 999'999) / 1'000'000;
  return static_cast<int>(std::clamp<std::int64_t>(remaining_ms, 1, kMaxPollMs));
}

}  // namespace

class SyncClient::Impl {
 public:
  explicit Impl(const Endpoint& endpoint) : context_(endpoint), rng_(std::random_device{}()) {
    multi_ = curl_multi_init();
    easy_ = curl_easy_init();
    if (multi_ == nullptr || easy_ == nullptr) {
      cleanup();
      throw std::runtime_error("libcurl: cannot create handles");
    }
  }
  ~Impl() { cleanup(); }

  // One request's waits for run_attempts: blocking, on the calling thread.
  struct Attempts {
    Impl* impl;
    std::unique_ptr<Transfer> request;
    Transfer& transfer() { return *request; }
    bool cancelled() const { return impl->cancelled_.load(std::memory_order_acquire); }
    double jitter() { return impl->jitter_(impl->rng_); }
    boost::asio::awaitable<bool> wait_until(std::int64_t deadline_ns) { co_return impl->wait_until(deadline_ns); }
    boost::asio::awaitable<void> attempt() {
      impl->run_attempt(*request);
      co_return;
    }
  };
  Attempts attempts(const ChatRequest& request, const SendSpec& spec) {
    return Attempts{this, std::make_unique<Transfer>(context_, decoder_, request, spec)};
  }

  void cancel() noexcept {
    cancelled_.store(true, std::memory_order_release);
    curl_multi_wakeup(multi_);  // documented as callable from any thread
  }
  void reset_cancel() noexcept { cancelled_.store(false, std::memory_order_release); }

 private:
  // Drives the one handle the way curl_easy_perform does (perform, then poll), but with our
  // own wake-ups: cancel() and the first-token deadline end the attempt at once.
  void run_attempt(Transfer& transfer) {
    transfer.prepare_attempt(easy_);
    if (curl_multi_add_handle(multi_, easy_) != CURLM_OK)
      throw std::runtime_error("curl_multi_add_handle failed");
    CURLcode result = CURLE_OK;
    for (;;) {
      int running = 0;
      curl_multi_perform(multi_, &running);
      bool done = false;
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
        if (message->msg == CURLMSG_DONE) {
          done = true;
          result = message->data.result;
        }
      }
      if (done) break;
      const std::int64_t now = steady_now_ns();
      if (cancelled_.load(std::memory_order_acquire)) {
        transfer.abort_attempt(ErrorKind::cancelled, "cancelled while in flight");
        result = CURLE_ABORTED_BY_CALLBACK;
        break;
      }
      const std::int64_t deadline = transfer.first_token_deadline_ns();
      if (deadline != 0 && now >= deadline) {
        transfer.abort_attempt(ErrorKind::timeout, "first-token timeout: no content token in time");
        result = CURLE_OPERATION_TIMEDOUT;
        break;
      }
      curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(deadline, now), nullptr);
    }
    curl_multi_remove_handle(multi_, easy_);
    transfer.finish_attempt(easy_, result, steady_now_ns());
  }

  // A wait (intended start, backoff) that cancel() interrupts: a poll on the (then empty)
  // multi handle, which counts whole milliseconds; the last one is slept exactly.
  bool wait_until(std::int64_t deadline_ns) {
    for (;;) {
      if (cancelled_.load(std::memory_order_acquire)) return false;
      const std::int64_t now = steady_now_ns();
      if (now >= deadline_ns) return true;
      if (deadline_ns - now > 1'000'000) {
        curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(deadline_ns - 1'000'000, now), nullptr);
      } else {
        std::this_thread::sleep_until(steady_from_ns(deadline_ns));
      }
    }
  }

  void cleanup() noexcept {
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    easy_ = nullptr;
    multi_ = nullptr;
  }

  ClientContext context_;
  ChunkDecoder decoder_;  // shared by this client's transfers, one at a time
  CURLM* multi_ = nullptr;
  CURL* easy_ = nullptr;
  std::atomic<bool> cancelled_{false};
  std::minstd_rand rng_;
  std::uniform_real_distribution<double> jitter_{0.0, 1.0};
};

SyncClient::SyncClient(const Endpoint& endpoint) : impl_(std::make_unique<Impl>(endpoint)) {}
SyncClient::~SyncClient() = default;

// Blocks the loop's thread: that is the blocking models' executor.
boost::asio::awaitable<InvokeResult> SyncClient::send(const ChatRequest& request, SendSpec spec) {
  return run_attempts(impl_->attempts(request, spec), spec.intended_start_ns);
}

InvokeResult SyncClient::run(const ChatRequest& request, const SendSpec& spec) {
  boost::asio::io_context io(1);
  auto result = boost::asio::co_spawn(io, send(request, spec), boost::asio::use_future);
  io.run();
  return result.get();
}
void SyncClient::cancel_all() noexcept { impl_->cancel(); }
void SyncClient::reset_cancel() noexcept { impl_->reset_cancel(); }

}  // namespace llmbench::harness
