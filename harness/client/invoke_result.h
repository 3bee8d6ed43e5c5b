#pragma once

#include <string>

#include "harness/client/request_record.h"

namespace llmbench::harness {

// The outcome of one logical request in any execution model: what was measured and the
// assistant's text (the concatenated content deltas of a stream). A failed request is an
// InvokeResult whose record.error says why; clients do not throw for request failures.
struct InvokeResult {
  RequestRecord record;
  std::string text;

  bool ok() const noexcept { return record.ok(); }
};

}  // namespace llmbench::harness
