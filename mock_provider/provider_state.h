#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "mock_provider/mock_config.h"
#include "mock_provider/mock_metrics.h"
#include "mock_provider/prefix_cache.h"
#include "mock_provider/rate_limiter.h"
#include "mock_provider/slot_pool.h"

namespace llmbench::mock {

// What every request of one Provider shares. Generators keep it alive through a shared_ptr.
class ProviderState {
 public:
  explicit ProviderState(MockConfig c)
      : config(std::move(c)),
        slots(SlotPool::create(config.decode_slots, config.max_waiting)),
        rate_limiter(config.rate_limit_rpm, config.rate_limit_tpm),
        prefix_cache(config.prefix_cache_blocks > 0 ? std::make_unique<PrefixCache>(config.prefix_cache_blocks)
                                                    : nullptr) {}

  // llm-d's load slowdown, read each time a delay is computed.
  double slowdown_factor() const {
    if (config.load_slowdown == 1.0 || config.decode_slots < 2) return 1.0;
    const double running = std::max<double>(1.0, slots->running());
    return 1.0 + (config.load_slowdown - 1.0) * (running - 1.0) / (config.decode_slots - 1.0);
  }

  const MockConfig config;
  std::shared_ptr<SlotPool> slots;
  RateLimiter rate_limiter;
  std::unique_ptr<PrefixCache> prefix_cache;  // null: off
  MockMetrics metrics;
  std::atomic<std::uint64_t> sequence{0};
};

}  // namespace llmbench::mock
