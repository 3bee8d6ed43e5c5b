#pragma once

// One parameterised suite over every execution model, named by the model ("sync", ...):
//   INSTANTIATE_TEST_SUITE_P(AllModels, MySuite, test_support::kEveryExecutionModel,
//                            test_support::ExecutionModelName());
#include <gtest/gtest.h>

#include <string>

#include "harness/client/execution_model.h"

namespace llmbench::test_support {

inline const auto kEveryExecutionModel = ::testing::Values(
    harness::ExecutionModel::sync, harness::ExecutionModel::threaded, harness::ExecutionModel::coroutine);

struct ExecutionModelName {
  std::string operator()(const ::testing::TestParamInfo<harness::ExecutionModel>& info) const {
    return std::string(harness::execution_model_name(info.param));
  }
};

}  // namespace llmbench::test_support
