#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/atomic_file.h"

namespace llmbench::testing {

// Compares `actual` with tests/data/reports/<name>. With LLMBENCH_UPDATE_GOLD=1 in the
// environment it rewrites the gold file instead, so gold files change only deliberately.
inline void expect_matches_gold(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = std::filesystem::path(LLMBENCH_TEST_DATA_DIR) / "reports" / name;
  const char* update = std::getenv("LLMBENCH_UPDATE_GOLD");
  if (update != nullptr && std::string(update) == "1") {
    write_file_atomically(path, actual);
    GTEST_SKIP() << "rewrote gold file " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing gold file " << path << " (run with LLMBENCH_UPDATE_GOLD=1 to create it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "output differs from " << path
                                    << "; if the change is intended, rerun with LLMBENCH_UPDATE_GOLD=1";
}

}  // namespace llmbench::testing
