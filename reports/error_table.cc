#include "reports/error_table.h"

#include <fmt/format.h>

#include "reports/table.h"

namespace llmbench::reports {

std::vector<ErrorRow> error_rows(const result::ScenarioResult& scenario) {
  std::vector<ErrorRow> rows;
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const result::StepResult& step = scenario.steps[i];
    const metrics::StepMetrics& m = step.metrics;
    for (std::size_t k = 1; k < harness::kErrorKindCount; ++k) {
      if (m.counts.errors_by_kind[k] == 0) continue;
      ErrorRow row;
      row.step = step_row_name(step, i);
      row.kind = std::string(harness::error_kind_name(static_cast<harness::ErrorKind>(k)));
      row.count = m.counts.errors_by_kind[k];
      const metrics::ErrorKindDetail& detail = m.error_details.by_kind[k];
      for (const auto& [status, n] : detail.http_statuses) {
        row.statuses += fmt::format("{}{} x{}", row.statuses.empty() ? "" : ", ", status, n);
      }
      for (const metrics::ErrorMessage& message : detail.messages) {
        row.messages +=
            fmt::format("{}\"{}\" x{}", row.messages.empty() ? "" : "; ", message.text, message.count);
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string error_row_text(const ErrorRow& row) {
  std::string text = fmt::format("{} x{}", row.kind, row.count);
  if (!row.statuses.empty()) text += fmt::format(" (HTTP {})", row.statuses);
  if (!row.messages.empty()) text += ": " + row.messages;
  return text;
}

}  // namespace llmbench::reports
