#include "harness/load/arrival_process.h"

#include <cmath>
#include <random>
#include <stdexcept>

namespace llmbench::load {

namespace {

constexpr double kNanosPerSecond = 1e9;

class ConstantArrivals final : public ArrivalProcess {
 public:
  explicit ConstantArrivals(double rate) : interval_ns_(kNanosPerSecond / rate) {}
  std::int64_t next_offset_ns() override {
    // k * interval rather than a running sum, so rounding does not drift over long runs.
    ++k_;
    return std::llround(static_cast<double>(k_) * interval_ns_);
  }

 private:
  double interval_ns_;
  std::uint64_t k_ = 0;
};

class PoissonArrivals final : public ArrivalProcess {
 public:
  PoissonArrivals(double rate, std::uint64_t seed) : rng_(seed), gap_(rate / kNanosPerSecond) {}
  std::int64_t next_offset_ns() override {
    offset_ns_ += gap_(rng_);
    return std::llround(offset_ns_);
  }

 private:
  std::mt19937_64 rng_;
  std::exponential_distribution<double> gap_;
  double offset_ns_ = 0;
};

// Rate λ(t) = R·min(1, t/T). The cumulative intensity over R is u(t) = t²/(2T) for t < T and
// t − T/2 after; a base arrival at u maps to t = u⁻¹(u).
class RampedArrivals final : public ArrivalProcess {
 public:
  RampedArrivals(ArrivalProcessPtr base, double ramp_ns) : base_(std::move(base)), ramp_ns_(ramp_ns) {}
  std::int64_t next_offset_ns() override {
    const double u = static_cast<double>(base_->next_offset_ns());
    const double t = u < ramp_ns_ / 2 ? std::sqrt(2 * ramp_ns_ * u) : u + ramp_ns_ / 2;
    return std::llround(t);
  }

 private:
  ArrivalProcessPtr base_;
  double ramp_ns_;
};

void check_rate(double rate) {
  if (!(rate > 0) || !std::isfinite(rate)) throw std::invalid_argument("arrival rate must be positive");
}

}  // namespace

ArrivalProcessPtr make_constant_arrivals(double rate_per_second) {
  check_rate(rate_per_second);
  return std::make_unique<ConstantArrivals>(rate_per_second);
}

ArrivalProcessPtr make_poisson_arrivals(double rate_per_second, std::uint64_t seed) {
  check_rate(rate_per_second);
  return std::make_unique<PoissonArrivals>(rate_per_second, seed);
}

ArrivalProcessPtr make_ramped_arrivals(ArrivalProcessPtr base, std::chrono::nanoseconds ramp) {
  if (ramp.count() <= 0) return base;
  return std::make_unique<RampedArrivals>(std::move(base), static_cast<double>(ramp.count()));
}

}  // namespace llmbench::load
