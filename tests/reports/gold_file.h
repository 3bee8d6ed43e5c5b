#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/atomic_file.h"

namespace llmbench::testing {

// True when LLMBENCH_UPDATE_GOLD=1 is in the environment.
inline bool updating_gold() {
  const char* update = std::getenv("LLMBENCH_UPDATE_GOLD");
  return update != nullptr && std::string(update) == "1";
}

// Compares `actual` with the gold file at `path`. With LLMBENCH_UPDATE_GOLD=1 it rewrites the
// file instead and then fails: a run with the variable set (a CI job, a stray export) can never
// pass, so gold files change only deliberately and every rewrite gets a review of its diff.
inline void expect_matches_gold_file(const std::filesystem::path& path, const std::string& actual) {
  std::string expected;
  bool found = false;
  if (std::ifstream in(path, std::ios::binary); in) {
    std::stringstream text;
    text << in.rdbuf();
    expected = text.str();
    found = true;
  }
  if (updating_gold()) {
    write_file_atomically(path, actual);
    ADD_FAILURE() << "gold file " << path << " rewritten ("
                  << (!found ? "created" : expected == actual ? "unchanged" : "changed")
                  << "); review the diff and rerun without LLMBENCH_UPDATE_GOLD";
    return;
  }
  ASSERT_TRUE(found) << "missing gold file " << path << " (run with LLMBENCH_UPDATE_GOLD=1 to create it)";
  EXPECT_EQ(actual, expected) << "output differs from " << path
                              << "; if the change is intended, rerun with LLMBENCH_UPDATE_GOLD=1";
}

// The same for tests/data/reports/<name>.
inline void expect_matches_gold(const std::string& name, const std::string& actual) {
  expect_matches_gold_file(std::filesystem::path(LLMBENCH_TEST_DATA_DIR) / "reports" / name, actual);
}

}  // namespace llmbench::testing
