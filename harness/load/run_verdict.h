#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/result/run_report.h"

namespace llmbench::load {

// A step that issued requests and got no successful response: the run measured nothing of the
// target (refused, dead, misconfigured), so it must not pass as exit 0.
struct UnsuccessfulStep {
  std::string label;           // "scenario [2/3] concurrency=8", as the step log names it
  std::uint64_t requests = 0;  // requests issued in the measured window
  std::string top_error_kind;  // the most frequent error kind (ties: the first in ErrorKind order)
  std::uint64_t top_error_count = 0;
  // The top kind's most frequent message with its status, e.g. "401 Incorrect API key provided.",
  // and how many other distinct messages the report keeps for that kind.
  std::string top_error_message;
  std::uint64_t other_messages = 0;
  std::uint64_t more_steps = 0;  // further steps of the report with the same fate
};

// The first step of `report` with requests > 0 and ok == 0, or nothing. Pure, for the runner's
// exit code and for tests.
std::optional<UnsuccessfulStep> first_unsuccessful_step(const result::RunReport& report);

// One line for stderr, e.g. "llmbench run: step 'adhoc [1/1]' had no successful request of 8
// (top error: connect x8: Failed to connect to 127.0.0.1 port 1 ...)" or "... (top error: http_4xx x6:
// 401 Incorrect API key provided. [invalid_api_key])".
std::string describe(const UnsuccessfulStep& step);

}  // namespace llmbench::load
