#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace llmbench::mock {

// A hashed timing wheel: items due at absolute steady-clock times, grouped into slots of
// `grain_ns`. An event loop keeps one for all its streams and one OS timer armed at the
// earliest slot, instead of one timer per stream: adding and taking an item is O(1) where
// Asio's per-timer heap is O(log n) plus a coroutine resume per token, which at thousands
// of streams cost more than the write itself (docs/performance.md). Due times are rounded
// up to the grain, so an item is never taken early, and at most one grain late.
//
// Buckets hold the slot with each item, so items beyond the wheel's horizon (slots x grain)
// share buckets with nearer ones and are taken only when their own slot comes. Not
// thread-safe: one event loop owns it.
template <class T>
class PacingWheel {
 public:
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

  // `slots` is rounded up to a power of two.
  PacingWheel(std::int64_t grain_ns, std::size_t slots) : grain_ns_(grain_ns) {
    std::size_t n = 1;
    while (n < slots) n <<= 1;
    buckets_.resize(n);
    mask_ = n - 1;
  }

  std::int64_t grain_ns() const { return grain_ns_; }
  std::size_t size() const { return size_; }

  // Adds `item` due at `due_ns` (an item already due goes into the next slot taken) and
  // returns its slot, which remove() needs.
  std::int64_t add(T* item, std::int64_t due_ns) {
    const std::int64_t slot = std::max(slot_of(due_ns), cursor_);
    buckets_[static_cast<std::size_t>(slot) & mask_].push_back({slot, item});
    ++size_;
    if (slot < earliest_) earliest_ = slot;
    return slot;
  }

  // Removes `item` added at `slot`; false if it is not there (already taken).
  bool remove(T* item, std::int64_t slot) {
    auto& bucket = buckets_[static_cast<std::size_t>(slot) & mask_];
    const auto it = std::find_if(bucket.begin(), bucket.end(),
                                 [&](const Entry& e) { return e.item == item && e.slot == slot; });
    if (it == bucket.end()) return false;
    *it = bucket.back();
    bucket.pop_back();
    --size_;
    if (slot == earliest_) earliest_ = find_earliest();
    return true;
  }

  // Moves every item due by `now_ns` into `out` (appended, in no particular order).
  void take_due(std::int64_t now_ns, std::vector<T*>& out) {
    const std::int64_t now_slot = now_ns / grain_ns_;  // slots whose time has fully come
    if (size_ == 0 || now_slot < earliest_) {
      cursor_ = std::max(cursor_, now_slot + 1);
      return;
    }
    // Each bucket once at most, however far `now` jumped (a stalled loop).
    const std::int64_t first = std::max(cursor_, earliest_);
    const std::int64_t last = std::min(now_slot, first + static_cast<std::int64_t>(mask_));
    for (std::int64_t s = first; s <= last; ++s) {
      auto& bucket = buckets_[static_cast<std::size_t>(s) & mask_];
      for (std::size_t i = 0; i < bucket.size();) {
        if (bucket[i].slot <= now_slot) {
          out.push_back(bucket[i].item);
          bucket[i] = bucket.back();
          bucket.pop_back();
          --size_;
        } else {
          ++i;
        }
      }
    }
    cursor_ = now_slot + 1;
    earliest_ = find_earliest();
  }

  // The time of the earliest item's slot (its due time rounded up to the grain), or kNone.
  std::int64_t next_due_ns() const { return earliest_ == kNone ? kNone : earliest_ * grain_ns_; }

 private:
  struct Entry {
    std::int64_t slot;
    T* item;
  };

  std::int64_t slot_of(std::int64_t due_ns) const { return (due_ns + grain_ns_ - 1) / grain_ns_; }

  // Scans forward from the cursor for the next non-empty slot: amortised over a run this
  // visits each slot once. Falls back to a full scan when nothing is within the horizon.
  std::int64_t find_earliest() const {
    if (size_ == 0) return kNone;
    for (std::int64_t s = cursor_; s <= cursor_ + static_cast<std::int64_t>(mask_); ++s) {
      for (const Entry& e : buckets_[static_cast<std::size_t>(s) & mask_]) {
        if (e.slot == s) return s;
      }
    }
    std::int64_t best = kNone;
    for (const auto& bucket : buckets_) {
      for (const Entry& e : bucket) best = std::min(best, e.slot);
    }
    return best;
  }

  std::int64_t grain_ns_;
  std::vector<std::vector<Entry>> buckets_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::int64_t cursor_ = 0;      // the first slot not yet taken
  std::int64_t earliest_ = kNone;  // the earliest slot holding an item (kNone when empty)
};

}  // namespace llmbench::mock
