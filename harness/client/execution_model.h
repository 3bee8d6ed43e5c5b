#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace llmbench::harness {

// The three ways of calling an LLM that the project compares (docs/clients.md).
enum class ExecutionModel : std::uint8_t {
  sync,       // one blocking client on the calling thread, requests one after another
  threaded,   // N worker threads, each with its own blocking client
  coroutine,  // Asio C++20 coroutines over libcurl's multi socket interface, one loop per thread
};

// Stable names used on the command line, in scenario files and in reports.
constexpr std::string_view execution_model_name(ExecutionModel model) noexcept {
  switch (model) {
    case ExecutionModel::sync:
      return "sync";
    case ExecutionModel::threaded:
      return "threaded";
    case ExecutionModel::coroutine:
      return "coroutine";
  }
  return "unknown";
}

// "sync", "threaded", "coroutine"; nullopt for anything else.
constexpr std::optional<ExecutionModel> parse_execution_model(std::string_view name) noexcept {
  for (auto model : {ExecutionModel::sync, ExecutionModel::threaded, ExecutionModel::coroutine}) {
    if (execution_model_name(model) == name) return model;
  }
  return std::nullopt;
}

}  // namespace llmbench::harness
