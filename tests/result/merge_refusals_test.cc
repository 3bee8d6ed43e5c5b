// merge refuses what would look like a bigger measurement of one workload but is not: another
// workload, or the same report twice; interrupted inputs are merged and marked.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "harness/result/run_report.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::result {
namespace {

std::string merge_error(const std::vector<RunReport>& reports, const std::vector<std::string>& names) {
  try {
    merge_reports(reports, names);
  } catch (const InputError& e) {
    return e.what();
  }
  return "merged";
}

TEST(MergeRefusalsTest, DifferentWorkloadsAreRefusedNamingBothFiles) {
  RunReport a = testing::crafted_report(1.0, 0);
  RunReport b = testing::crafted_report(1.0, 1);
  a.config["scenarios"] =
      boost::json::array{boost::json::object{{"name", "stream-sync"}, {"mode", "coroutine"}}};
  b.config["scenarios"] =
      boost::json::array{boost::json::object{{"name", "stream-sync"}, {"mode", "threaded"}}};
  const std::string error = merge_error({a, b}, {"a.json", "b.json"});
  EXPECT_NE(error.find("b.json"), std::string::npos) << error;
  EXPECT_NE(error.find("different workload than a.json"), std::string::npos) << error;
  EXPECT_NE(error.find("scenarios[0].mode: \"coroutine\" vs \"threaded\""), std::string::npos) << error;
  // Labels and paths may differ between shards.
  b.config = a.config;
  b.config["source"] = "/other/machine/suite.toml";
  EXPECT_NO_THROW(merge_reports({a, b}, {"a.json", "b.json"}));
}

TEST(MergeRefusalsTest, TheSameReportTwiceIsRefused) {
  const RunReport a = testing::crafted_report(1.0, 0);
  const RunReport b = testing::crafted_report(1.0, 1);
  const std::string error = merge_error({a, b, a}, {"a.json", "b.json", "copy-of-a.json"});
  EXPECT_NE(error.find("copy-of-a.json"), std::string::npos) << error;
  EXPECT_NE(error.find("is the same report as a.json"), std::string::npos) << error;
}

TEST(MergeRefusalsTest, InterruptedInputsMarkTheMergedReportPartial) {
  const RunReport a = testing::crafted_report(1.0, 0);
  RunReport b = testing::crafted_report(1.0, 1);
  b.interrupted = true;
  b.scenarios[2].steps[0].interrupted = true;
  b.scenarios[2].steps[0].stop_reason = StopReason::interrupted;
  const RunReport merged = merge_reports({a, b}, {"a.json", "b.json"});
  EXPECT_TRUE(merged.interrupted);
  EXPECT_EQ(merged.interrupted_inputs, std::vector<std::string>{"b.json"});
  EXPECT_TRUE(merged.scenarios[2].steps[0].interrupted);
  // Visible in report.json, and read back.
  const std::string text = to_json_text(merged);
  EXPECT_EQ(boost::json::parse(text).at("interrupted_inputs").as_array().size(), 1u);
  EXPECT_EQ(report_from_json(text, "m.json").interrupted_inputs, merged.interrupted_inputs);
  // A complete merge lists none.
  EXPECT_TRUE(merge_reports({a, testing::crafted_report(1.0, 2)}, {"a", "c"}).interrupted_inputs.empty());
  // An interrupted input that lacks steps is refused, and the message says it was interrupted.
  b.scenarios[2].steps.clear();
  const std::string error = merge_error({a, b}, {"a.json", "b.json"});
  EXPECT_NE(error.find("it was interrupted"), std::string::npos) << error;
}

}  // namespace
}  // namespace llmbench::result
