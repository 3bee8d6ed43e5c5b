#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace llmbench::load {

// What each slot of a step does (LangChain's Runnable methods).
enum class Operation : std::uint8_t {
  invoke,  // one non-streaming request
  stream,  // one streaming request (SSE / NDJSON), token arrivals timed
  batch,   // one batch()/abatch() call of batch_size requests, max_concurrency = concurrency
};

constexpr std::string_view operation_name(Operation op) noexcept {
  switch (op) {
    case Operation::invoke:
      return "invoke";
    case Operation::stream:
      return "stream";
    case Operation::batch:
      return "batch";
  }
  return "unknown";
}

constexpr std::optional<Operation> parse_operation(std::string_view name) noexcept {
  for (auto op : {Operation::invoke, Operation::stream, Operation::batch}) {
    if (operation_name(op) == name) return op;
  }
  return std::nullopt;
}

}  // namespace llmbench::load
