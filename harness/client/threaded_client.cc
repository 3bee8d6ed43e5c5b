#include "harness/client/threaded_client.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

namespace llmbench::harness {

namespace {

using Task = std::function<void(std::size_t worker_index, SyncClient& client)>;

// Waits for `count` workers to report; collects the first exception.
class Completion {
 public:
  explicit Completion(std::size_t count) : remaining_(count) {}
  void done(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (error && !error_) error_ = error;
    if (--remaining_ == 0) cv_.notify_all();
  }
  void wait_and_rethrow() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return remaining_ == 0; });
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t remaining_;
  std::exception_ptr error_;
};

}  // namespace

class ThreadedClient::Impl {
 public:
  Impl(const Endpoint& endpoint, std::size_t workers) {
    workers = std::max<std::size_t>(1, workers);
    clients_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) clients_.push_back(std::make_unique<SyncClient>(endpoint));
    own_queues_.resize(workers);
    threads_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this, i] { work(i); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  // A task for whichever worker is free first.
  void post_any(Task task) {
    {
      std::lock_guard lock(mutex_);
      shared_queue_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

  // A task for one particular worker.
  void post_to(std::size_t worker, Task task) {
    {
      std::lock_guard lock(mutex_);
      own_queues_[worker].push_back(std::move(task));
    }
    cv_.notify_all();  // the one worker that may take it is not necessarily the one woken
  }

  InvokeResult run_one(const ChatRequest& request, bool stream, StreamObserver* observer,
                       std::int64_t intended_start_ns) {
    std::promise<InvokeResult> promise;
    auto future = promise.get_future();
    post_any([&](std::size_t, SyncClient& client) {
      try {
        promise.set_value(stream ? client.stream(request, observer, intended_start_ns)
                                 : client.invoke(request, intended_start_ns));
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
    });
    return future.get();
  }

  std::vector<InvokeResult> batch(std::span<const ChatRequest> requests, const BatchOptions& options) {
    std::vector<InvokeResult> results(requests.size());
    if (requests.empty()) return results;
    std::size_t window = options.max_concurrency == 0 ? size() : std::min(options.max_concurrency, size());
    window = std::min(window, requests.size());
    // Sliding window: each of `window` workers takes the next index as soon as it is free.
    std::atomic<std::size_t> next{0};
    Completion completion(window);
    for (std::size_t w = 0; w < window; ++w) {
      post_any([&](std::size_t, SyncClient& client) {
        std::exception_ptr error;
        try {
          for (std::size_t i = next.fetch_add(1); i < requests.size(); i = next.fetch_add(1)) {
            results[i] = options.stream ? client.stream(requests[i], nullptr) : client.invoke(requests[i]);
            results[i].record.index = i;
          }
        } catch (...) {
          error = std::current_exception();
        }
        completion.done(error);
      });
    }
    completion.wait_and_rethrow();
    throw_if_batch_failed(results, options);
    return results;
  }

  void run_on_workers(const Task& fn) {
    Completion completion(size());
    for (std::size_t w = 0; w < size(); ++w) {
      post_to(w, [&](std::size_t index, SyncClient& client) {
        std::exception_ptr error;
        try {
          fn(index, client);
        } catch (...) {
          error = std::current_exception();
        }
        completion.done(error);
      });
    }
    completion.wait_and_rethrow();
  }

  void cancel_all() noexcept {
    for (auto& client : clients_) client->cancel();
  }
  void reset_cancel() noexcept {
    for (auto& client : clients_) client->reset_cancel();
  }
  std::size_t size() const noexcept { return clients_.size(); }

 private:
  void work(std::size_t index) {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopping_ || !own_queues_[index].empty() || !shared_queue_.empty(); });
        std::deque<Task>& queue = !own_queues_[index].empty() ? own_queues_[index] : shared_queue_;
        if (queue.empty()) return;  // stopping and nothing left
        task = std::move(queue.front());
        queue.pop_front();
      }
      task(index, *clients_[index]);  // tasks catch their own exceptions
    }
  }

  std::vector<std::unique_ptr<SyncClient>> clients_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task> shared_queue_;
  std::vector<std::deque<Task>> own_queues_;
  bool stopping_ = false;
};

ThreadedClient::ThreadedClient(const Endpoint& endpoint, std::size_t workers)
    : impl_(std::make_unique<Impl>(endpoint, workers)) {}
ThreadedClient::~ThreadedClient() = default;

InvokeResult ThreadedClient::invoke(const ChatRequest& request, std::int64_t intended_start_ns) {
  return impl_->run_one(request, false, nullptr, intended_start_ns);
}

InvokeResult ThreadedClient::stream(const ChatRequest& request, StreamObserver* observer,
                                    std::int64_t intended_start_ns) {
  return impl_->run_one(request, true, observer, intended_start_ns);
}

std::vector<InvokeResult> ThreadedClient::batch(std::span<const ChatRequest> requests,
                                                const BatchOptions& options) {
  return impl_->batch(requests, options);
}

void ThreadedClient::run_on_workers(const std::function<void(std::size_t, SyncClient&)>& fn) {
  impl_->run_on_workers(fn);
}

void ThreadedClient::cancel_all() noexcept { impl_->cancel_all(); }
void ThreadedClient::reset_cancel() noexcept { impl_->reset_cancel(); }
std::size_t ThreadedClient::size() const noexcept { return impl_->size(); }

}  // namespace llmbench::harness
