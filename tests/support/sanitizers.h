#pragma once

// Whether this test build runs under a sanitizer, and how much slower it may be there.
// ASan and TSan make every allocation, thread start and event several times slower, and
// `ctest -j2` on a loaded machine adds to that: an upper wall-clock bound that holds in a
// release build flakes under them. Tests keep their release bounds tight and widen only the
// margin above the nominal time by kTimingSlack (see upper_bound_ms). One header for every
// test, so the detection (GCC's __SANITIZE_*__, Clang's __has_feature) is written once.
namespace llmbench::test_support {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kThreadSanitizer = true;
#else
inline constexpr bool kThreadSanitizer = false;
#endif
#else
inline constexpr bool kThreadSanitizer = false;
#endif

inline constexpr bool kSanitized = kAddressSanitizer || kThreadSanitizer;

// Factor for timing margins and lower throughput bounds under a sanitizer; 1 in release.
inline constexpr double kTimingSlack = kSanitized ? 5.0 : 1.0;

// An upper bound for something that takes `nominal_ms` by design: the nominal time plus a
// margin for scheduling noise, and only the margin widens under sanitizers.
constexpr double upper_bound_ms(double nominal_ms, double margin_ms) { return nominal_ms + margin_ms * kTimingSlack; }

}  // namespace llmbench::test_support
