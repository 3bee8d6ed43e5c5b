// error_details in report.json: written, read back, checked against the counts, optional in
// older reports, and combined by merge_reports (counts add, message lists union, bounded).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/input_error.h"
#include "harness/metrics/metrics_recorder.h"
#include "harness/result/report_json.h"
#include "harness/result/run_report.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::result {
namespace {

using harness::ErrorKind;

harness::RequestRecord failure(ErrorKind kind, int status, const std::string& message) {
  harness::RequestRecord r;
  r.start_ns = r.intended_start_ns = 1'000'000;
  r.end_ns = 3'000'000;
  r.error = kind;
  r.http_status = status;
  r.error_message = message;
  return r;
}

RunReport report_with(const std::vector<harness::RequestRecord>& records, const std::string& host) {
  metrics::MetricsRecorder recorder;
  for (const auto& r : records) recorder.record(r);
  StepResult step;
  step.stop_reason = StopReason::requests;
  step.metrics = recorder.summarize({.duration_s = 1.0, .concurrency = 2, .target_rate_rps = {}});
  RunReport report;
  report.tool_version = "0.1.0";
  report.environment = testing::crafted_environment();
  report.environment.host = host;
  report.scenarios.push_back(ScenarioResult{
      "s", harness::ExecutionModel::coroutine, harness::Operation::invoke, LoadPattern::closed, {step}, std::nullopt});
  return report;
}

const metrics::ErrorDetails& details(const RunReport& report) {
  return report.scenarios.at(0).steps.at(0).metrics.error_details;
}

TEST(ErrorDetailsJsonTest, RoundTripsThroughReportJson) {
  const RunReport report =
      report_with({failure(ErrorKind::http_4xx, 401, "HTTP 401: Incorrect API key provided."),
                   failure(ErrorKind::http_4xx, 404, "HTTP 404: no such model"),
                   failure(ErrorKind::connect, 0, "Connection refused")},
                  "h");
  const std::string text = to_json_text(report);
  const RunReport back = report_from_json(text, "r.json");
  EXPECT_EQ(details(back), details(report));
  EXPECT_EQ(details(back).of(ErrorKind::http_4xx).http_statuses.at(401), 1u);
  EXPECT_EQ(to_json_text(back), text);
}

TEST(ErrorDetailsJsonTest, ReportsWithoutErrorDetailsStillRead) {
  const RunReport report = report_with({failure(ErrorKind::timeout, 0, "total timeout")}, "h");
  boost::json::value json = to_json(report);
  json.at("scenarios").at(0).at("steps").at(0).as_object().erase("error_details");
  const RunReport back = report_from_json(boost::json::serialize(json), "old.json");
  EXPECT_TRUE(details(back).empty());
  EXPECT_EQ(back.scenarios[0].steps[0].metrics.counts.errors(ErrorKind::timeout), 1u);
}

TEST(ErrorDetailsJsonTest, DetailsCountingMoreThanTheErrorsAreRejected) {
  const RunReport report = report_with({failure(ErrorKind::http_4xx, 401, "HTTP 401: bad key")}, "h");
  boost::json::value json = to_json(report);
  json.at("scenarios")
      .at(0)
      .at("steps")
      .at(0)
      .at("error_details")
      .at("http_4xx")
      .at("http_statuses")
      .as_object()["401"] = 5;
  try {
    report_from_json(boost::json::serialize(json), "edited.json");
    FAIL() << "accepted 5 statuses for 1 error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("edited.json: scenarios[0].steps[0].error_details"),
              std::string::npos)
        << e.what();
  }
}

TEST(ErrorDetailsJsonTest, MergeAddsStatusesAndUnionsMessagesWithinTheBound) {
  std::vector<harness::RequestRecord> a_records, b_records;
  for (int i = 0; i < 3; ++i) a_records.push_back(failure(ErrorKind::http_4xx, 401, "HTTP 401: bad key"));
  for (int i = 0; i < 4; ++i) {
    a_records.push_back(failure(ErrorKind::http_4xx, 404, "HTTP 404: model a" + std::to_string(i)));
    b_records.push_back(failure(ErrorKind::http_4xx, 404, "HTTP 404: model b" + std::to_string(i)));
  }
  b_records.push_back(failure(ErrorKind::http_4xx, 401, "HTTP 401: bad key"));
  const RunReport merged =
      merge_reports({report_from_json(to_json_text(report_with(a_records, "a")), "a.json"),
                     report_from_json(to_json_text(report_with(b_records, "b")), "b.json")},
                    {"a.json", "b.json"});
  const metrics::ErrorKindDetail& d = details(merged).of(ErrorKind::http_4xx);
  EXPECT_EQ(d.http_statuses, (std::map<int, std::uint64_t>{{401, 4}, {404, 8}}));
  ASSERT_EQ(d.messages.size(), metrics::ErrorKindDetail::kMaxMessages);
  EXPECT_EQ(d.messages[0], (metrics::ErrorMessage{401, "bad key", 4}));
  EXPECT_EQ(d.messages[4].text, "model a3");
  // The merged report is itself a valid report.
  EXPECT_NO_THROW(report_from_json(to_json_text(merged), "merged.json"));
}

}  // namespace
}  // namespace llmbench::result
