#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace llmbench::mock {

class SlotPool;

// A request's claim on a decode slot: granted at once, or queued FIFO until one frees.
// Destroying the ticket frees the slot (granting the next waiter) or leaves the queue.
class SlotTicket {
 public:
  ~SlotTicket();
  SlotTicket(const SlotTicket&) = delete;
  SlotTicket& operator=(const SlotTicket&) = delete;

  bool granted() const;
  // Runs `waker` once when the slot is granted (at once if it already is), under the pool's
  // lock: it must only signal.
  void set_waker(std::function<void()> waker);

 private:
  friend class SlotPool;
  explicit SlotTicket(std::shared_ptr<SlotPool> pool) : pool_(std::move(pool)) {}
  std::shared_ptr<SlotPool> pool_;
  bool granted_ = false;  // guarded by the pool's mutex
  std::function<void()> waker_;
  std::list<SlotTicket*>::iterator position_;
};

// N decode slots (0 = unlimited) and a bounded FIFO of waiters, as vLLM's max-num-seqs and
// llm-d's max-waiting-queue-length.
class SlotPool : public std::enable_shared_from_this<SlotPool> {
 public:
  static std::shared_ptr<SlotPool> create(std::uint32_t slots, std::uint32_t max_waiting);

  // nullptr when every slot is busy and the queue is full.
  std::shared_ptr<SlotTicket> admit();

  std::uint32_t running() const { return running_.load(std::memory_order_relaxed); }
  std::uint32_t waiting() const { return waiting_.load(std::memory_order_relaxed); }
  std::uint32_t slots() const { return slots_; }

 private:
  friend class SlotTicket;
  SlotPool(std::uint32_t slots, std::uint32_t max_waiting) : slots_(slots), max_waiting_(max_waiting) {}
  void release(SlotTicket& ticket);

  const std::uint32_t slots_;
  const std::uint32_t max_waiting_;
  mutable std::mutex mutex_;
  std::list<SlotTicket*> queue_;
  std::atomic<std::uint32_t> running_{0};
  std::atomic<std::uint32_t> waiting_{0};
};

}  // namespace llmbench::mock
