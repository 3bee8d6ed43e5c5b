#include "common/input_error.h"

#include <gtest/gtest.h>

namespace llmbench {
namespace {

TEST(input_error, names_where_field_and_problem) {
  const InputError e("scenarios/a.toml:12", "scenario.concurrency", "must be at least 1, got 0");
  EXPECT_STREQ(e.what(), "scenarios/a.toml:12: scenario.concurrency: must be at least 1, got 0");
}

TEST(input_error, omits_empty_field) {
  const InputError e("--requests", "", "must be a positive integer");
  EXPECT_STREQ(e.what(), "--requests: must be a positive integer");
}

}  // namespace
}  // namespace llmbench
