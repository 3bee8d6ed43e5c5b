#include "harness/client/sync_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <stdexcept>

#include "common/clock.h"
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

  InvokeResult run(const ChatRequest& request, bool stream, StreamObserver* observer,
                   std::int64_t intended_start_ns, std::uint64_t index) {
    Transfer transfer(context_, decoder_, request, stream, observer, intended_start_ns, index);
    transfer.begin(steady_now_ns());
    for (;;) {
      if (cancelled_.load(std::memory_order_acquire)) {
        transfer.fail(ErrorKind::cancelled, "cancelled before the request was sent");
        break;
      }
      run_attempt(transfer);
      transfer.rethrow_callback_exception();
      const auto delay = transfer.next_retry_delay(jitter_(rng_));
      if (!delay) break;
      if (!wait_unless_cancelled(*delay)) {
        transfer.fail(ErrorKind::cancelled, "cancelled while waiting to retry");
        break;
      }
      transfer.note_retry(steady_now_ns());
    }
    return transfer.complete(steady_now_ns());
  }

  void cancel() noexcept {
    cancelled_.store(true, std::memory_order_release);
    curl_multi_wakeup(multi_);  // documented as callable from any thread
  }
  void reset_cancel() noexcept { cancelled_.store(false, std::memory_order_release); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  const Endpoint& endpoint() const noexcept { return context_.endpoint(); }

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

  // Backoff sleep that cancel() interrupts: a poll on the (now empty) multi handle.
  bool wait_unless_cancelled(std::chrono::nanoseconds delay) {
    const std::int64_t deadline = steady_now_ns() + delay.count();
    for (;;) {
      if (cancelled_.load(std::memory_order_acquire)) return false;
      const std::int64_t now = steady_now_ns();
      if (now >= deadline) return true;
      curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(deadline, now), nullptr);
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

InvokeResult SyncClient::invoke(const ChatRequest& request, std::int64_t intended_start_ns) {
  return impl_->run(request, false, nullptr, intended_start_ns, 0);
}

InvokeResult SyncClient::stream(const ChatRequest& request, StreamObserver* observer,
                                std::int64_t intended_start_ns) {
  return impl_->run(request, true, observer, intended_start_ns, 0);
}

std::vector<InvokeResult> SyncClient::batch(std::span<const ChatRequest> requests,
                                            const BatchOptions& options) {
  std::vector<InvokeResult> results;
  results.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    results.push_back(impl_->run(requests[i], options.stream, nullptr, 0, i));
  }
  throw_if_batch_failed(results, options);
  return results;
}

void SyncClient::cancel() noexcept { impl_->cancel(); }
void SyncClient::reset_cancel() noexcept { impl_->reset_cancel(); }
bool SyncClient::cancelled() const noexcept { return impl_->cancelled(); }
const Endpoint& SyncClient::endpoint() const noexcept { return impl_->endpoint(); }

}  // namespace llmbench::harness
