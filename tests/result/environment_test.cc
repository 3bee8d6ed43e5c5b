#include "harness/result/environment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/version.h"
#include "harness/result/report_json.h"

namespace llmbench::result {
namespace {

TEST(EnvironmentTest, CapturesHostCpuAndBuild) {
  const Environment env = capture_environment();
  EXPECT_FALSE(env.host.empty());
  EXPECT_GT(env.cpu_count, 0);
  EXPECT_FALSE(env.cpu_model.empty());
  EXPECT_EQ(env.os, "Linux");
  EXPECT_FALSE(env.kernel.empty());
  EXPECT_EQ(env.build_flavor, kBuildFlavor);
  EXPECT_EQ(env.tool_version, kVersion);
  EXPECT_EQ(env.warning, build_flavor_warning(kBuildFlavor));
}

TEST(EnvironmentTest, WarnsOnDebugAndSanitizerBuildsOnly) {
  EXPECT_EQ(build_flavor_warning("Release"), "");
  EXPECT_EQ(build_flavor_warning("RelWithDebInfo"), "");
  EXPECT_NE(build_flavor_warning("Debug").find("non-release"), std::string::npos);
  EXPECT_NE(build_flavor_warning("").find("non-release"), std::string::npos);
  EXPECT_NE(build_flavor_warning("Release+thread").find("sanitizer"), std::string::npos);
  EXPECT_NE(build_flavor_warning("Debug+address,undefined").find("sanitizer"), std::string::npos);
}

TEST(EnvironmentTest, ReadsTheOneMinuteLoadAverage) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("llmbench-loadavg-" + std::to_string(::getpid()));
  {
    std::ofstream out(path);
    out << "3.25 1.50 0.75 2/345 6789\n";
  }
  EXPECT_EQ(read_load_average(path.string()), 3.25);
  std::filesystem::remove(path);
  EXPECT_EQ(read_load_average(path.string()), std::nullopt);  // missing file: not recorded
  // On Linux the run's start is recorded by capture_environment.
  EXPECT_TRUE(capture_environment().load_average_start.has_value());
}

TEST(EnvironmentTest, LoadAveragesRoundTripThroughReportJsonOnlyWhenRecorded) {
  RunReport report;
  report.tool_version = "0.1.0";
  report.started_at = "2026-01-02T03:04:05Z";
  const std::string without = to_json_text(report);
  EXPECT_EQ(without.find("load_average"), std::string::npos);
  EXPECT_EQ(report_from_json(without, "r.json").environment.load_average_start, std::nullopt);
  report.environment.load_average_start = 0.5;
  report.environment.load_average_end = 2.75;
  const RunReport back = report_from_json(to_json_text(report), "r.json");
  EXPECT_EQ(back.environment.load_average_start, 0.5);
  EXPECT_EQ(back.environment.load_average_end, 2.75);
}

}  // namespace
}  // namespace llmbench::result
