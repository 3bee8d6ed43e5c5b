// A suite file's thresholds are checked when it is read: a typo is found before a measurement.
#include <gtest/gtest.h>

#include <string>

#include "common/input_error.h"
#include "harness/scenario/scenario_file.h"

namespace llmbench::scenario {
namespace {

std::string error_of(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    parse_suite(text, "suite.toml", overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ScenarioThresholds, ValidThresholdsAreKeptAsWritten) {
  const load::SuiteSpec suite = parse_suite(R"([[scenario]]
requests = 10
thresholds = ["p99_ttft_ms < 200", "throughput >= -5%", "p999_e2e <= +10%"]
)",
                                            "suite.toml");
  ASSERT_EQ(suite.scenarios.size(), 1u);
  EXPECT_EQ(suite.scenarios[0].thresholds,
            (std::vector<std::string>{"p99_ttft_ms < 200", "throughput >= -5%", "p999_e2e <= +10%"}));
}

TEST(ScenarioThresholds, UnknownMetricNamesFileLineAndThreshold) {
  const std::string e = error_of(R"([[scenario]]
requests = 10
thresholds = ["error_rate < 1%",
              "p99_foo_ms < 5"]
)");
  EXPECT_NE(e.find("suite.toml:4"), std::string::npos) << e;
  EXPECT_NE(e.find("scenario.thresholds[1]"), std::string::npos) << e;
  EXPECT_NE(e.find("'p99_foo_ms < 5'"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown metric 'p99_foo_ms'"), std::string::npos) << e;
}

TEST(ScenarioThresholds, MalformedExpressionNamesFileLineAndThreshold) {
  const std::string e = error_of(R"([[scenario]]
requests = 10

thresholds = ["p99_ttft_ms <<< 5"]
)");
  EXPECT_NE(e.find("suite.toml:4"), std::string::npos) << e;
  EXPECT_NE(e.find("'p99_ttft_ms <<< 5'"), std::string::npos) << e;
  EXPECT_NE(e.find("expected METRIC OP VALUE"), std::string::npos) << e;
  // In [defaults] too, and through --set.
  EXPECT_NE(error_of("[defaults]\nthresholds = [\"throughput >= -5\"]\n[[scenario]]\nrequests = 10\n")
                .find("needs a % unit"),
            std::string::npos);
  EXPECT_NE(error_of("[[scenario]]\nrequests = 10\n", {parse_override("scenario.thresholds=[\"p99_x < 1\"]")})
                .find("unknown metric 'p99_x'"),
            std::string::npos);
  EXPECT_NE(error_of("[[scenario]]\nrequests = 10\nthresholds = [5]\n").find("expected a string"),
            std::string::npos);
}

}  // namespace
}  // namespace llmbench::scenario
