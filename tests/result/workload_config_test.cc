#include "harness/result/workload_config.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness/result/report_json.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::result {
namespace {

boost::json::object suite_config() {
  return boost::json::parse(R"({
    "name": "ci-gate", "source": "scenarios/ci-gate.toml",
    "target": {"kind": "mock", "model": "m", "api_key_env": "OPENAI_API_KEY",
               "mock": {"ttft": "20ms", "itl": "2ms", "seed": 1}},
    "prompts": {"kind": "jsonl", "file": "/home/a/prompts.jsonl"},
    "scenarios": [{"name": "s", "mode": "coroutine", "plan": {"concurrency": 16, "rate": 50.0},
                   "thresholds": ["p99_ttft_ms < 200"]}]
  })")
      .as_object();
}

TEST(WorkloadConfigTest, HashIgnoresLabelsPathsAndThresholds) {
  const boost::json::object a = suite_config();
  const std::string hash = config_hash(a);
  EXPECT_EQ(hash.rfind("fnv1a64:", 0), 0u) << hash;
  EXPECT_EQ(hash.size(), 8u + 16u);
  boost::json::object b = a;
  b["name"] = "renamed";
  b["source"] = "/elsewhere/ci-gate.toml";
  b["target"].as_object()["api_key_env"] = "OTHER_KEY";
  b["prompts"].as_object()["file"] = "/home/b/prompts.jsonl";
  b["scenarios"].as_array()[0].as_object()["thresholds"] = boost::json::array{"error_rate < 1%"};
  b["gate"] = boost::json::object{{"thresholds", boost::json::array{"p99_e2e < 5"}}};
  EXPECT_EQ(config_hash(b), hash);
  EXPECT_TRUE(config_differences(a, b).empty());
}

TEST(WorkloadConfigTest, HashChangesWithTheWorkloadAndNamesTheKeys) {
  const boost::json::object a = suite_config();
  boost::json::object b = a;
  b["target"].as_object()["mock"].as_object()["ttft"] = "30ms";
  b["scenarios"].as_array()[0].as_object()["mode"] = "threaded";
  EXPECT_NE(config_hash(b), config_hash(a));
  const auto differences = config_differences(a, b);
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0], "scenarios[0].mode: \"coroutine\" vs \"threaded\"");
  EXPECT_EQ(differences[1], "target.mock.ttft: \"20ms\" vs \"30ms\"");
  boost::json::object c = a;
  c["prompts"].as_object()["file"] = "/home/a/other.jsonl";
  EXPECT_NE(config_hash(c), config_hash(a));
  boost::json::object d = a;
  d["scenarios"].as_array().push_back(boost::json::object{{"name", "t"}});
  EXPECT_EQ(config_differences(a, d, 8).size(), 1u);
  EXPECT_EQ(config_differences(a, d)[0].rfind("scenarios: ", 0), 0u) << config_differences(a, d)[0];
  // At most `limit` keys, then a count of the rest.
  boost::json::object e = a;
  for (const char* key : {"x1", "x2", "x3"}) e[key] = 1;
  const auto limited = config_differences(a, e, 2);
  ASSERT_EQ(limited.size(), 3u);
  EXPECT_EQ(limited[2], "... and 1 more");
}

TEST(WorkloadConfigTest, NumbersHashTheSameWhateverTheirJsonKind) {
  boost::json::object a = suite_config();
  boost::json::object b = a;
  b["scenarios"].as_array()[0].as_object()["plan"].as_object()["rate"] = 50;  // integer, not 50.0
  b["scenarios"].as_array()[0].as_object()["plan"].as_object()["concurrency"] = std::uint64_t{16};
  EXPECT_EQ(config_hash(a), config_hash(b));
}

TEST(WorkloadConfigTest, ReportJsonCarriesTheHashAndItSurvivesARoundTrip) {
  RunReport report = testing::crafted_report();
  report.config = suite_config();
  const std::string text = to_json_text(report);
  const boost::json::value json = boost::json::parse(text);
  EXPECT_EQ(json.at("config_hash").as_string(), config_hash(report.config));
  const RunReport back = report_from_json(text, "r.json");
  EXPECT_EQ(config_hash(back.config), config_hash(report.config));
  EXPECT_EQ(to_json_text(back), text);
}

}  // namespace
}  // namespace llmbench::result
