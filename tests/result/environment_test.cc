#include "harness/result/environment.h"

#include <gtest/gtest.h>

#include "common/version.h"

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

}  // namespace
}  // namespace llmbench::result
