#include "mock_provider/slot_pool.h"

namespace llmbench::mock {

std::shared_ptr<SlotPool> SlotPool::create(std::uint32_t slots, std::uint32_t max_waiting) {
  return std::shared_ptr<SlotPool>(new SlotPool(slots, max_waiting));
}

std::shared_ptr<SlotTicket> SlotPool::admit() {
  std::shared_ptr<SlotTicket> ticket(new SlotTicket(shared_from_this()));
  const std::lock_guard lock(mutex_);
  if (slots_ == 0 || (running_.load() < slots_ && queue_.empty())) {
    ticket->granted_ = true;
    running_.fetch_add(1);
    return ticket;
  }
  if (queue_.size() >= max_waiting_) {
    ticket->pool_.reset();  // never entered: nothing to release
    return nullptr;
  }
  ticket->position_ = queue_.insert(queue_.end(), ticket.get());
  waiting_.fetch_add(1);
  return ticket;
}

void SlotPool::release(SlotTicket& ticket) {
  const std::lock_guard lock(mutex_);
  if (!ticket.granted_) {
    queue_.erase(ticket.position_);
    waiting_.fetch_sub(1);
    return;
  }
  if (queue_.empty() || slots_ == 0) {
    running_.fetch_sub(1);
    return;
  }
  // Hand the slot straight to the oldest waiter: `running` does not change.
  SlotTicket* next = queue_.front();
  queue_.pop_front();
  waiting_.fetch_sub(1);
  next->granted_ = true;
  if (next->waker_) next->waker_();
}

SlotTicket::~SlotTicket() {
  if (pool_) pool_->release(*this);
}

bool SlotTicket::granted() const {
  if (!pool_) return true;
  const std::lock_guard lock(pool_->mutex_);
  return granted_;
}

void SlotTicket::set_waker(std::function<void()> waker) {
  if (!pool_) {
    waker();
    return;
  }
  const std::lock_guard lock(pool_->mutex_);
  if (granted_) {
    waker();
  } else {
    waker_ = std::move(waker);
  }
}

}  // namespace llmbench::mock
