#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

#include "harness/client/invoke_result.h"

namespace llmbench::harness {

// Options of batch()/abatch(), as LangChain's RunnableConfig.max_concurrency and return_exceptions.
struct BatchOptions {
  // Requests in flight at once: a sliding window, never waves. 0 = unbounded (threaded: all
  // workers; coroutine: every request at once). The sync model always runs one at a time.
  std::size_t max_concurrency = 0;
  // true: failures are returned in place (InvokeResult::record.error). false: batch throws
  // BatchError after every request has finished if any failed.
  bool return_exceptions = true;
  // true: every request is streamed (stream()/astream()), so TTFT and token arrivals are measured.
  bool stream = false;
  // false: InvokeResult::text stays empty (a load driver never reads it).
  bool keep_text = true;
};

// Thrown by batch() with return_exceptions == false; carries every result, in input order.
class BatchError : public std::runtime_error {
 public:
  BatchError(std::vector<InvokeResult> results, std::size_t first_failed);
  const std::vector<InvokeResult>& results() const noexcept { return results_; }
  std::size_t first_failed() const noexcept { return first_failed_; }

 private:
  std::vector<InvokeResult> results_;
  std::size_t first_failed_;
};

}  // namespace llmbench::harness

namespace llmbench::harness {

// Throws BatchError (moving `results` into it) when options.return_exceptions is false and
// any result failed; otherwise does nothing.
void throw_if_batch_failed(std::vector<InvokeResult>& results, const BatchOptions& options);

}  // namespace llmbench::harness
