#pragma once

#include <cstdint>
#include <string_view>

#include "common/enum_names.h"

namespace llmbench::harness {

// What each slot of a step does (LangChain's Runnable methods). With the clients, below the
// load generator and the result model, which both name it.
enum class Operation : std::uint8_t {
  invoke,  // one non-streaming request
  stream,  // one streaming request (SSE / NDJSON), token arrivals timed
  batch,   // one batch()/abatch() call of batch_size requests, max_concurrency = concurrency
};

constexpr auto enum_names(Operation) {
  using enum Operation;
  return std::to_array<EnumName<Operation>>({{invoke, "invoke"}, {stream, "stream"}, {batch, "batch"}});
}
constexpr std::string_view operation_name(Operation op) noexcept { return to_name(op); }

}  // namespace llmbench::harness
