#pragma once

#include <cmath>
#include <cstdint>

namespace llmbench::mock {

// One PRNG stream per request, derived from the server seed and the request's key (its
// sequence number, or the request's own `seed` field), so how requests interleave never
// changes what a given request gets. SplitMix64: tiny state, well mixed, and the same
// numbers on every platform (std:: distributions are implementation-defined).
class RequestRng {
 public:
  RequestRng(std::uint64_t server_seed, std::uint64_t request_key)
      : state_(mix(server_seed ^ mix(request_key + 0x632BE59BD9B4E019ULL))) {}

  std::uint64_t next_u64() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix(state_);
  }
  // Uniform in [0, 1).
  double next_unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, bound); bound > 0.
  std::uint64_t next_below(std::uint64_t bound) { return next_u64() % bound; }
  // Standard normal (Box-Muller; always consumes two draws).
  double next_normal() {
    const double u1 = 1.0 - next_unit();  // (0, 1]
    const double u2 = next_unit();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

}  // namespace llmbench::mock
