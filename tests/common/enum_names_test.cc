#include "common/enum_names.h"

#include <gtest/gtest.h>

#include "common/input_error.h"
#include "harness/client/api_flavor.h"
#include "harness/client/error_kind.h"
#include "harness/client/execution_model.h"
#include "harness/client/operation.h"
#include "harness/load/load_plan.h"
#include "harness/result/run_labels.h"

namespace llmbench {
namespace {

// Every table names each value once, and names parse back to their value.
template <NamedEnum E>
void expect_one_name_per_value() {
  const auto names = enum_names(E{});
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(to_name(names[i].value), names[i].name);
    EXPECT_EQ(from_name<E>(names[i].name), names[i].value);
    for (std::size_t j = 0; j < i; ++j) {
      EXPECT_NE(names[i].value, names[j].value) << names[i].name;
      EXPECT_NE(names[i].name, names[j].name);
    }
  }
  EXPECT_FALSE(from_name<E>("no such name"));
}

TEST(EnumNamesTest, EveryTableIsABijection) {
  expect_one_name_per_value<harness::ExecutionModel>();
  expect_one_name_per_value<harness::ErrorKind>();
  expect_one_name_per_value<harness::Operation>();
  expect_one_name_per_value<harness::ApiFlavor>();
  expect_one_name_per_value<load::LoadModel>();
  expect_one_name_per_value<load::ArrivalKind>();
  expect_one_name_per_value<result::StopReason>();
  expect_one_name_per_value<result::LoadPattern>();
}

TEST(EnumNamesTest, ErrorKindsAreIndexedInTableOrder) {
  for (std::size_t i = 0; i < harness::kErrorKindCount; ++i)
    EXPECT_EQ(enum_names(harness::ErrorKind{})[i].value, static_cast<harness::ErrorKind>(i));
}

TEST(EnumNamesTest, ParseNamesTheFieldAndTheAcceptedNames) {
  EXPECT_EQ(parse_name<harness::Operation>("batch", "s.toml", "scenario.operation"), harness::Operation::batch);
  try {
    parse_name<harness::Operation>("walk", "s.toml", "scenario.operation");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "s.toml: scenario.operation: \"walk\" is not one of \"invoke\", \"stream\", \"batch\"");
  }
}

TEST(EnumNamesTest, FmtPrintsTheName) {
  EXPECT_EQ(fmt::format("{} {:>8}|", result::StopReason::max_errors, harness::ExecutionModel::sync),
            "max_errors     sync|");
  static_assert(to_name(harness::ErrorKind::http_429) == "http_429");
  static_assert(from_name<load::LoadModel>("open") == load::LoadModel::open_loop);
}

}  // namespace
}  // namespace llmbench
