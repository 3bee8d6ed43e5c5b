#include "common/duration.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace llmbench {
namespace {

using namespace std::chrono_literals;
using Nanos = std::chrono::nanoseconds;

TEST(duration_parse, accepts_every_unit) {
  EXPECT_EQ(parse_duration("250ns"), 250ns);
  EXPECT_EQ(parse_duration("40us"), 40us);
  EXPECT_EQ(parse_duration("40\xC2\xB5s"), 40us);
  EXPECT_EQ(parse_duration("50ms"), 50ms);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("2m"), 120s);
  EXPECT_EQ(parse_duration("1h"), 3600s);
  EXPECT_EQ(parse_duration("0ms"), 0ns);
  EXPECT_EQ(parse_duration("10 ms"), 10ms);
}

TEST(duration_parse, rejects_bad_text_with_the_text_in_the_message) {
  for (const char* bad : {"", "ms", "50", "50 parsecs", "-5ms", "1.2.3s", "abc"}) {
    try {
      parse_duration(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
    }
  }
}

TEST(duration_format, round_trips_through_parse) {
  for (std::chrono::nanoseconds d : {Nanos(50ms), Nanos(1500ms), Nanos(120s), Nanos(250ns), Nanos(40us), Nanos(3600s), Nanos(0ms)}) {
    EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
  }
  EXPECT_EQ(format_duration(50ms), "50ms");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
}

}  // namespace
}  // namespace llmbench
