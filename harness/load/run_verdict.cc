#include "harness/load/run_verdict.h"

#include <fmt/format.h>

#include <cstddef>

#include "harness/client/error_kind.h"

namespace llmbench::load {

std::optional<UnsuccessfulStep> first_unsuccessful_step(const result::RunReport& report) {
  std::optional<UnsuccessfulStep> first;
  for (const result::ScenarioResult& scenario : report.scenarios) {
    for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
      const result::StepResult& step = scenario.steps[i];
      const metrics::RequestCounts& counts = step.metrics.counts;
      if (counts.total == 0 || counts.ok > 0) continue;
      if (first) {
        ++first->more_steps;
        continue;
      }
      UnsuccessfulStep found;
      found.label = fmt::format("{} [{}/{}]", scenario.name, i + 1, scenario.steps.size());
      if (!step.sweep_parameter.empty())
        found.label += fmt::format(" {}={}", step.sweep_parameter, step.sweep_value);
      found.requests = counts.total;
      for (std::size_t k = 0; k < harness::kErrorKindCount; ++k) {
        if (counts.errors_by_kind[k] > found.top_error_count) {
          found.top_error_count = counts.errors_by_kind[k];
          found.top_error_kind = std::string(harness::error_kind_name(static_cast<harness::ErrorKind>(k)));
        }
      }
      if (!found.top_error_kind.empty()) {
        const auto kind = harness::error_kind_from_name(found.top_error_kind);
        const metrics::ErrorKindDetail& detail = step.metrics.error_details.of(*kind);
        const metrics::ErrorMessage* top = nullptr;
        for (const metrics::ErrorMessage& m : detail.messages) {
          if (top == nullptr || m.count > top->count) top = &m;
        }
        if (top != nullptr) {
          found.top_error_message =
              top->http_status != 0 ? fmt::format("{} {}", top->http_status, top->text) : top->text;
          found.other_messages = detail.messages.size() - 1;
        }
      }
      first = std::move(found);
    }
  }
  return first;
}

std::string describe(const UnsuccessfulStep& step) {
  std::string line =
      fmt::format("llmbench run: step '{}' had no successful request of {}", step.label, step.requests);
  if (step.top_error_count > 0) {
    line += fmt::format(" (top error: {} x{}", step.top_error_kind, step.top_error_count);
    if (!step.top_error_message.empty()) line += ": " + step.top_error_message;
    if (step.other_messages > 0) {
      line += fmt::format("; {} other message{} in the report", step.other_messages,
                          step.other_messages == 1 ? "" : "s");
    }
    line += ")";
  }
  if (step.more_steps > 0) {
    line += fmt::format("; {} more step{} likewise", step.more_steps, step.more_steps == 1 ? "" : "s");
  }
  return line;
}

}  // namespace llmbench::load
