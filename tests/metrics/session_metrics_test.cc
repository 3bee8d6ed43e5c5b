#include "harness/metrics/session_metrics.h"

#include <gtest/gtest.h>

#include "common/input_error.h"

namespace llmbench::metrics {
namespace {

harness::RequestRecord turn_record(std::int64_t start, std::int64_t ttft, std::int64_t end, std::uint32_t prompt,
                                   bool ok = true) {
  harness::RequestRecord r;
  r.start_ns = r.intended_start_ns = start;
  r.first_token_ns = start + ttft;
  r.end_ns = end;
  r.prompt_tokens = prompt;
  if (!ok) r.error = harness::ErrorKind::http_5xx;
  return r;
}

TEST(SessionMetrics, TurnsAreKeptPerIndexAndSessionsByHowTheyEnded) {
  SessionMetrics m;
  m.record_turn(0, turn_record(1'000'000, 2'000'000, 9'000'000, 100), true);
  m.record_turn(1, turn_record(10'000'000, 5'000'000, 20'000'000, 300), true);
  m.record_turn(1, turn_record(10'000'000, 5'000'000, 20'000'000, 500, false), true);
  m.record_session(SessionEnd::completed, 2, 1'000'000, 20'000'000);
  m.record_session(SessionEnd::failed, 2, 1'000'000, 20'000'000);
  m.record_session(SessionEnd::cut, 1, 1'000'000, 9'000'000);
  EXPECT_EQ(m.started, 3u);
  EXPECT_EQ(m.completed, 1u);
  EXPECT_EQ(m.failed, 1u);
  EXPECT_EQ(m.cut, 1u);
  EXPECT_EQ(m.turns, 5u);
  EXPECT_DOUBLE_EQ(m.mean_turns(), 5.0 / 3);
  ASSERT_EQ(m.duration.count(), 1u);  // completed sessions only
  EXPECT_NEAR(m.duration.max(), 19e6, 1);
  ASSERT_EQ(m.per_turn.size(), 2u);
  EXPECT_EQ(m.per_turn[1].requests, 2u);
  EXPECT_EQ(m.per_turn[1].failed, 1u);
  EXPECT_DOUBLE_EQ(m.per_turn[1].mean_prompt_tokens(), 400);
  EXPECT_EQ(m.per_turn[1].ttft.count(), 1u);  // the failed reply has no TTFT
  EXPECT_NEAR(m.per_turn[0].ttft.max(), 2e6, 2e3);
}

TEST(SessionMetrics, InvokeTurnsHaveNoTtft) {
  SessionMetrics m;
  m.record_turn(0, turn_record(1'000'000, 2'000'000, 9'000'000, 100), false);
  EXPECT_TRUE(m.per_turn[0].ttft.empty());
  EXPECT_EQ(m.per_turn[0].e2e.count(), 1u);
}

TEST(SessionMetrics, MergeAddsCountsAndLongerTurnLists) {
  SessionMetrics a, b;
  a.record_turn(0, turn_record(1, 10'000, 20'000, 10), true);
  a.record_session(SessionEnd::completed, 1, 1, 20'000);
  b.record_turn(0, turn_record(1, 10'000, 20'000, 30), true);
  b.record_turn(2, turn_record(1, 10'000, 20'000, 90), true);
  b.record_session(SessionEnd::cut, 2, 1, 20'000);
  a.merge(b);
  EXPECT_EQ(a.started, 2u);
  EXPECT_EQ(a.cut, 1u);
  EXPECT_EQ(a.turns, 3u);
  ASSERT_EQ(a.per_turn.size(), 3u);
  EXPECT_DOUBLE_EQ(a.per_turn[0].mean_prompt_tokens(), 20);
  EXPECT_EQ(a.per_turn[1].requests, 0u);
  EXPECT_EQ(a.per_turn[2].requests, 1u);
}

TEST(SessionMetrics, JsonRoundTripsAndInconsistentTotalsAreRefused) {
  SessionMetrics m;
  m.record_turn(0, turn_record(1, 10'000, 20'000, 10), true);
  m.record_turn(1, turn_record(1, 30'000, 50'000, 40, false), true);
  m.record_session(SessionEnd::failed, 2, 1, 50'000);
  const boost::json::value json = m.to_json();
  EXPECT_EQ(SessionMetrics::from_json(json, "report.json: .steps[0].sessions"), m);
  boost::json::value bad = json;
  bad.as_object()["started"] = 5;
  try {
    SessionMetrics::from_json(bad, "report.json: .steps[0].sessions");
    FAIL() << "accepted started != completed + failed + cut";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("started"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace llmbench::metrics
