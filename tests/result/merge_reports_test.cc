#include <gtest/gtest.h>

#include "common/input_error.h"
#include "harness/metrics/metrics_recorder.h"
#include "harness/result/report_json.h"
#include "harness/result/run_report.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::result {
namespace {

// One report of one scenario and one step, measured over `records` with `concurrency` users.
RunReport single_step_report(const std::vector<harness::RequestRecord>& records, double concurrency,
                             double duration, const std::string& host) {
  metrics::MetricsRecorder recorder(metrics::Slo{.ttft_ms = 60, .tpot_ms = {}, .e2e_ms = {}});
  for (const auto& r : records) recorder.record(r);
  StepResult step;
  step.sweep_parameter = "concurrency";
  step.sweep_value = 16;
  step.stop_reason = StopReason::requests;
  step.metrics =
      recorder.summarize({.duration_s = duration, .concurrency = concurrency, .target_rate_rps = {}});
  for (const auto& r : records) step.schedule_lag.record(r.start_ns - r.intended_start_ns);
  RunReport report;
  report.tool_version = "0.1.0";
  report.environment = testing::crafted_environment();
  report.environment.host = host;
  report.scenarios.push_back(ScenarioResult{
      "stream", harness::ExecutionModel::coroutine, harness::Operation::stream, LoadPattern::closed, {step}, std::nullopt});
  return report;
}

TEST(MergeReportsTest, MergeEqualsOneRunOverTheUnion) {
  testing::StepShape a_shape{
      .concurrency = 8, .ttft_ms = 40, .itl_ms = 4, .requests = 300, .fail_every = 7, .seed = 1};
  testing::StepShape b_shape{
      .concurrency = 8, .ttft_ms = 90, .itl_ms = 9, .requests = 200, .fail_every = 0, .seed = 2};
  const auto a = testing::crafted_records(a_shape);
  const auto b = testing::crafted_records(b_shape);
  std::vector<harness::RequestRecord> all = a;
  all.insert(all.end(), b.begin(), b.end());

  const RunReport ra = single_step_report(a, 8, 10.0, "m1");
  const RunReport rb = single_step_report(b, 8, 12.0, "m2");
  const RunReport whole = single_step_report(all, 16, 12.0, "m1,m2");
  // Through JSON, as `llmbench merge` reads files written by other machines.
  const RunReport merged = merge_reports(
      {report_from_json(to_json_text(ra), "a.json"), report_from_json(to_json_text(rb), "b.json")},
      {"a.json", "b.json"});
  const StepResult& m = merged.scenarios[0].steps[0];
  const StepResult& w = whole.scenarios[0].steps[0];
  EXPECT_EQ(m.metrics.counts, w.metrics.counts);
  EXPECT_EQ(m.metrics.distributions, w.metrics.distributions);
  EXPECT_EQ(m.metrics.timing, w.metrics.timing);
  EXPECT_EQ(m.metrics.throughput, w.metrics.throughput);
  EXPECT_EQ(m.schedule_lag, w.schedule_lag);
  for (double q : {50.0, 90.0, 99.0, 99.9}) {
    EXPECT_EQ(m.metrics.distributions.ttft.percentile(q), w.metrics.distributions.ttft.percentile(q));
  }
  EXPECT_EQ(merged.environment.host, "m1,m2");
  EXPECT_EQ(merged.merged_from, (std::vector<std::string>{"a.json", "b.json"}));
  // Averaging the two p99s, as tools without mergeable histograms do, gives another answer.
  const double averaged = (ra.scenarios[0].steps[0].metrics.distributions.ttft.percentile(99) +
                           rb.scenarios[0].steps[0].metrics.distributions.ttft.percentile(99)) /
                          2;
  EXPECT_NE(averaged, m.metrics.distributions.ttft.percentile(99));
}

// Multi-turn sessions belong whole to one shard: the merged sessions are the union's.
TEST(MergeReportsTest, SessionsAddUpLikeOneRunOverTheUnion) {
  const auto records = testing::crafted_records(
      testing::StepShape{.concurrency = 4, .ttft_ms = 40, .itl_ms = 4, .requests = 40, .fail_every = 9, .seed = 3});
  RunReport a = single_step_report(records, 4, 10.0, "m1");
  RunReport b = single_step_report(records, 4, 10.0, "m2");
  metrics::SessionMetrics sa, sb, all;
  for (std::size_t i = 0; i < records.size(); ++i) {
    metrics::SessionMetrics& mine = i % 3 == 0 ? sa : sb;
    mine.record_turn(static_cast<std::uint32_t>(i % 4), records[i], true);
    all.record_turn(static_cast<std::uint32_t>(i % 4), records[i], true);
    if (i % 4 == 3) {
      const auto end = records[i].ok() ? metrics::SessionEnd::completed : metrics::SessionEnd::failed;
      mine.record_session(end, 4, records[i - 3].intended_start_ns, records[i].end_ns);
      all.record_session(end, 4, records[i - 3].intended_start_ns, records[i].end_ns);
    }
  }
  a.scenarios[0].steps[0].sessions = sa;
  b.scenarios[0].steps[0].sessions = sb;
  const RunReport merged = merge_reports(
      {report_from_json(to_json_text(a), "a.json"), report_from_json(to_json_text(b), "b.json")}, {"a.json", "b.json"});
  ASSERT_TRUE(merged.scenarios[0].steps[0].sessions);
  EXPECT_EQ(*merged.scenarios[0].steps[0].sessions, all);
}

TEST(MergeReportsTest, DifferentSuitesAreAnInputErrorNamingTheFile) {
  RunReport a = testing::crafted_report();
  RunReport b = testing::crafted_report();
  b.scenarios[1].name = "something-else";
  try {
    merge_reports({a, b}, {"a.json", "b.json"});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("b.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("something-else"), std::string::npos) << e.what();
  }
  RunReport c = testing::crafted_report();
  c.scenarios[0].steps.pop_back();
  EXPECT_THROW(merge_reports({a, c}, {"a.json", "c.json"}), InputError);
  EXPECT_THROW(merge_reports({}, {}), InputError);
}

}  // namespace
}  // namespace llmbench::result
