// parse_server_timing: the server's own queue and service times (issue 12 item 9).
#include "harness/client/server_timing.h"

#include <gtest/gtest.h>

namespace llmbench::harness {
namespace {

struct Parsed {
  std::int64_t queue = -1;
  std::int64_t service = -1;
};

Parsed parse(std::string_view value) {
  Parsed p;
  parse_server_timing(value, &p.queue, &p.service);
  return p;
}

TEST(ServerTiming, ReadsQueueAndServiceDurationsInMilliseconds) {
  const Parsed p = parse(" queue;dur=81.2, service;dur=40\r\n");
  EXPECT_EQ(p.queue, 81'200'000);
  EXPECT_EQ(p.service, 40'000'000);
}

TEST(ServerTiming, IgnoresOtherMetricsParametersAndCase) {
  const Parsed p = parse(R"(cache;desc="hit, cold", Queue;desc="wait";dur=2.5, db;dur=53)");
  EXPECT_EQ(p.queue, 2'500'000);
  EXPECT_EQ(p.service, -1);
}

TEST(ServerTiming, LeavesInvalidDurationsAlone) {
  for (const char* bad : {"queue;dur=-1", "queue;dur=abc", "queue;dur=", "queue", "queue;dur=1e400", ""}) {
    EXPECT_EQ(parse(bad).queue, -1) << bad;
  }
}

}  // namespace
}  // namespace llmbench::harness
