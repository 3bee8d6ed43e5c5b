#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/enum_names.h"

namespace llmbench::harness {

// The three ways of calling an LLM that the project compares (docs/clients.md).
enum class ExecutionModel : std::uint8_t {
  sync,       // one blocking client on the calling thread, requests one after another
  threaded,   // N worker threads, each with its own blocking client
  coroutine,  // Asio C++20 coroutines over libcurl's multi socket interface, one loop per thread
};

// Stable names used on the command line, in scenario files and in reports.
constexpr auto enum_names(ExecutionModel) {
  using enum ExecutionModel;
  return std::to_array<EnumName<ExecutionModel>>(
      {{sync, "sync"}, {threaded, "threaded"}, {coroutine, "coroutine"}});
}
constexpr std::string_view execution_model_name(ExecutionModel model) noexcept { return to_name(model); }

}  // namespace llmbench::harness
