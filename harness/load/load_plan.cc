#include "harness/load/load_plan.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace llmbench::load {

void validate_load_plan(const LoadPlan& plan) {
  if (plan.requests == 0 && plan.duration.count() <= 0) {
    throw std::invalid_argument("requests/duration: set a request count or a duration (or both)");
  }
  if (plan.duration.count() < 0) throw std::invalid_argument("duration: must not be negative");
  if (plan.think_time.count() < 0) throw std::invalid_argument("think_time: must not be negative");
  if (plan.ramp_up.count() < 0) throw std::invalid_argument("ramp_up: must not be negative");
  if (plan.warmup_duration.count() < 0) throw std::invalid_argument("warmup: must not be negative");
  if (plan.shard.count == 0 || plan.shard.index >= plan.shard.count) {
    throw std::invalid_argument("shard: the index must be below the count");
  }
  if (plan.shard.sharded() && plan.concurrency > 0 && plan.concurrency < plan.shard.count) {
    throw std::invalid_argument("concurrency: " + std::to_string(plan.concurrency) + " is the global total and " +
                                std::to_string(plan.shard.count) + " shards need at least one user each");
  }
  if (plan.model == LoadModel::closed_loop) {
    if (plan.concurrency == 0) throw std::invalid_argument("concurrency: must be at least 1");
  } else {
    if (!(plan.rate > 0) || !std::isfinite(plan.rate)) {
      throw std::invalid_argument("rate: open loop needs a positive, finite rate (requests per second)");
    }
    if (plan.think_time.count() > 0) {
      throw std::invalid_argument("think_time: only closed-loop users think; open loop follows its rate");
    }
  }
}

}  // namespace llmbench::load
