#include "harness/result/report_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "common/input_error.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::result {
namespace {

std::string error_of(const std::string& text) {
  try {
    report_from_json(text, "runs/report.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ReportJsonTest, RoundTripPreservesEverything) {
  const RunReport report = testing::crafted_report();
  const std::string text = to_json_text(report);
  const RunReport back = report_from_json(text, "report.json");
  EXPECT_EQ(to_json_text(back), text);
  ASSERT_EQ(back.scenarios.size(), report.scenarios.size());
  const StepResult& a = report.scenarios[2].steps[0];
  const StepResult& b = back.scenarios[2].steps[0];
  EXPECT_EQ(b.metrics.counts, a.metrics.counts);
  EXPECT_EQ(b.metrics.distributions, a.metrics.distributions);
  EXPECT_EQ(b.metrics.throughput, a.metrics.throughput);
  EXPECT_EQ(b.metrics.slo, a.metrics.slo);
  EXPECT_EQ(b.schedule_lag, a.schedule_lag);
  EXPECT_EQ(b.reference, a.reference);
  EXPECT_EQ(back.environment, report.environment);
  EXPECT_EQ(back.config, report.config);
}

TEST(ReportJsonTest, CarriesEveryMetricTheIssuesList) {
  const boost::json::value json = to_json(testing::crafted_report());
  const auto& step = json.at("scenarios").at(0).at("steps").at(0).as_object();
  for (const char* key : {"e2e_ms", "e2e_corrected_ms", "ttft_ms", "ttft_corrected_ms", "itl_ms", "tpot_ms",
                          "queue_wait_ms", "schedule_lag_ms", "output_tokens", "output_tokens_per_s"}) {
    const auto& s = step.at("summary").at(key).as_object();
    for (const char* stat : {"p50", "p90", "p95", "p99", "p99_9", "max", "mean", "stddev", "min", "count"}) {
      EXPECT_TRUE(s.contains(stat)) << key << "." << stat;
    }
  }
  for (const char* key : {"requests_per_s", "output_tokens_per_s", "output_tokens_per_s_per_user",
                          "goodput_rps", "error_rate"}) {
    EXPECT_TRUE(step.at("throughput").as_object().contains(key)) << key;
  }
  EXPECT_TRUE(step.at("counts").at("errors").as_object().contains("http_429"));
  EXPECT_TRUE(step.at("efficiency").as_object().contains("throughput_ratio"));
}

TEST(ReportJsonTest, ApiKeysAreNotPartOfTheModel) {
  // The report holds only what the runner put in config; this guards the serialiser itself
  // from adding anything from the process environment.
  ::setenv("LLMBENCH_TEST_SECRET_KEY", "sk-should-never-appear", 1);
  const std::string text = to_json_text(testing::crafted_report());
  EXPECT_EQ(text.find("sk-should-never-appear"), std::string::npos);
}

TEST(ReportJsonTest, TruncatedInputNamesTheFile) {
  const std::string text = to_json_text(testing::crafted_report());
  const std::string error = error_of(text.substr(0, text.size() / 2));
  EXPECT_NE(error.find("runs/report.json"), std::string::npos) << error;
  EXPECT_NE(error.find("truncated or corrupt"), std::string::npos) << error;
  EXPECT_NE(error_of("").find("runs/report.json"), std::string::npos);
  EXPECT_NE(error_of("\x01\x02garbage").find("not a valid report"), std::string::npos);
  EXPECT_NE(error_of("[]").find("not a JSON object"), std::string::npos);
}

TEST(ReportJsonTest, WrongOrMissingSchemaVersionIsNamed) {
  boost::json::object json = to_json(testing::crafted_report()).as_object();
  json["schema_version"] = 2;
  std::string error = error_of(boost::json::serialize(json));
  EXPECT_NE(error.find("schema_version"), std::string::npos) << error;
  EXPECT_NE(error.find("is 2"), std::string::npos) << error;
  json.erase("schema_version");
  error = error_of(boost::json::serialize(json));
  EXPECT_NE(error.find("schema_version: missing"), std::string::npos) << error;
}

TEST(ReportJsonTest, CorruptFieldsAreNamedWithTheirPath) {
  boost::json::value json = to_json(testing::crafted_report());
  auto& step = json.at("scenarios").at(1).at("steps").at(2).as_object();

  boost::json::value wrong_type = json;
  wrong_type.at("scenarios").at(1).at("steps").at(2).as_object()["timing"].as_object()["duration_s"] = "long";
  std::string error = error_of(boost::json::serialize(wrong_type));
  EXPECT_NE(error.find("scenarios[1].steps[2].timing: duration_s: expected a number, got a string"),
            std::string::npos)
      << error;

  boost::json::value bad_counts = json;
  bad_counts.at("scenarios").at(1).at("steps").at(2).as_object()["counts"].as_object()["ok"] = 1;
  error = error_of(boost::json::serialize(bad_counts));
  EXPECT_NE(error.find("total"), std::string::npos) << error;

  boost::json::value bad_kind = json;
  bad_kind.at("scenarios").at(1).at("steps").at(2).at("counts").at("errors").as_object()["gremlins"] = 0;
  error = error_of(boost::json::serialize(bad_kind));
  EXPECT_NE(error.find("gremlins: unknown error kind"), std::string::npos) << error;

  step.at("histograms").as_object().erase("itl");
  error = error_of(boost::json::serialize(json));
  EXPECT_NE(error.find("scenarios[1].steps[2].histograms: itl: missing required field"), std::string::npos)
      << error;
}

TEST(ReportJsonTest, MissingFileIsAnInputError) {
  EXPECT_THROW(load_report_file("/nonexistent/llmbench/report.json"), InputError);
}

TEST(ReportJsonTest, LoadsAFileWrittenToDisk) {
  const auto path = std::filesystem::temp_directory_path() / "llmbench_report_json_test.json";
  {
    std::ofstream out(path);
    out << to_json_text(testing::crafted_report());
  }
  const RunReport back = load_report_file(path.string());
  EXPECT_EQ(back.scenarios.size(), 3u);
  std::filesystem::remove(path);
}

// counts.estimated_usage is written only when some token counts were estimated (reports of
// servers that send usage stay as they were) and read back; absent reads as 0.
TEST(ReportJsonTest, EstimatedUsageIsWrittenWhenNonZeroAndRoundTrips) {
  RunReport report = testing::crafted_report();
  const auto counts_of = [](const boost::json::value& json) {
    return json.at("scenarios").at(0).at("steps").at(0).at("counts").as_object();
  };
  EXPECT_FALSE(counts_of(to_json(report)).contains("estimated_usage"));
  report.scenarios[0].steps[0].metrics.counts.estimated_usage = 7;
  EXPECT_EQ(counts_of(to_json(report)).at("estimated_usage").as_uint64(), 7u);
  const RunReport back = report_from_json(to_json_text(report), "report.json");
  EXPECT_EQ(back.scenarios[0].steps[0].metrics.counts.estimated_usage, 7u);
}

}  // namespace
}  // namespace llmbench::result
