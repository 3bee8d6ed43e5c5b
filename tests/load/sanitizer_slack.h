#pragma once

// How much slower timing-sensitive load tests may be: sanitizers make every allocation,
// thread start and event several times slower, so upper timing bounds and lower throughput
// bounds widen by this factor under them (as tests/mock_provider/hostile_clients_test.cc does).
namespace llmbench::load::testing {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
inline constexpr double kTimingSlack = 5.0;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
inline constexpr double kTimingSlack = 5.0;
#else
inline constexpr double kTimingSlack = 1.0;
#endif
#else
inline constexpr double kTimingSlack = 1.0;
#endif

}  // namespace llmbench::load::testing
