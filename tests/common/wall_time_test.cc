#include "common/wall_time.h"

#include <gtest/gtest.h>

namespace llmbench {
namespace {

TEST(WallTimeTest, ParsesRfc3339WithFractionsAndOffsets) {
  EXPECT_EQ(parse_rfc3339_ns("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ns("2026-01-02T03:04:05Z"), 1767323045LL * 1'000'000'000);
  EXPECT_EQ(parse_rfc3339_ns("2026-01-02T03:04:05.25Z"), 1767323045LL * 1'000'000'000 + 250'000'000);
  EXPECT_EQ(parse_rfc3339_ns("2026-01-02T05:04:05.000000001+02:00"), 1767323045LL * 1'000'000'000 + 1);
  EXPECT_EQ(parse_rfc3339_ns("2026-01-02 01:34:05-01:30"), 1767323045LL * 1'000'000'000);
  EXPECT_EQ(parse_rfc3339_ns("2024-02-29t00:00:00z"), 1709164800LL * 1'000'000'000);
}

TEST(WallTimeTest, RefusesWhatIsNotRfc3339) {
  for (const char* bad : {"", "2026-01-02", "2026-01-02T03:04:05", "2026-13-02T03:04:05Z", "2025-02-29T00:00:00Z",
                          "2026-01-02T24:00:00Z", "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05.1234567891Z",
                          "2026-01-02T03:04:05Zx", "now", "+3s", "2026-01-02T03:04:05+0200"}) {
    EXPECT_FALSE(parse_rfc3339_ns(bad).has_value()) << bad;
  }
}

TEST(WallTimeTest, FormatsUtcNanosecondsThatParseBack) {
  for (const std::int64_t ns : {0LL, 1767323045'123456789LL, 1709164800'000000001LL, -1LL}) {
    EXPECT_EQ(parse_rfc3339_ns(format_rfc3339_ns(ns)), ns) << format_rfc3339_ns(ns);
  }
  EXPECT_EQ(format_rfc3339_ns(1767323045'123456789LL), "2026-01-02T03:04:05.123456789Z");
}

}  // namespace
}  // namespace llmbench
