#pragma once

#include <string>

#include "harness/result/run_report.h"

namespace llmbench::reports {

// What a run found, in words for someone who has never seen the tool: per operation (invoke,
// batch, stream), each execution model's throughput against the ideal for the target's known
// latency (StepResult::efficiency()), best first, then one sentence on what that means for the
// reader's own client code. A pure function of the report, like the formatters; printed by
// `llmbench report REPORT --summary`, which `make demo` ends with.
//
//   stream: coroutine 158 req/s (8 users, 99% of ideal 160), threaded 158 (99%), sync 19.8 (1 user, 99% of its ideal 20)
std::string format_summary(const result::RunReport& report);

}  // namespace llmbench::reports
