#include "harness/client/batch_options.h"

#include <fmt/format.h>

#include <utility>

namespace llmbench::harness {

BatchError::BatchError(std::vector<InvokeResult> results, std::size_t first_failed)
    : std::runtime_error(fmt::format("batch: request {} of {} failed ({}: {})", first_failed, results.size(),
                                     error_kind_name(results.at(first_failed).record.error),
                                     results.at(first_failed).record.error_message)),
      results_(std::move(results)),
      first_failed_(first_failed) {}

void throw_if_batch_failed(std::vector<InvokeResult>& results, const BatchOptions& options) {
  if (options.return_exceptions) return;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) throw BatchError(std::move(results), i);
  }
}

}  // namespace llmbench::harness
