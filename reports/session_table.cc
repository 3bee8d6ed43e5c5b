#include "reports/session_table.h"

#include <fmt/format.h>

namespace llmbench::reports {

namespace {

std::string ms_cell(const metrics::LatencyHistogram& h, double q) {
  return h.empty() ? "-" : format_number(h.percentile(q) / 1e6);
}

}  // namespace

std::optional<SummaryTable> session_totals_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  t.header = {"step", "sessions", "completed", "failed", "cut", "mean turns", "duration p50 ms", "duration p99 ms"};
  t.numeric = {false, true, true, true, true, true, true, true};
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const result::StepResult& step = scenario.steps[i];
    if (!step.sessions) continue;
    const metrics::SessionMetrics& s = *step.sessions;
    t.rows.push_back({step_row_name(step, i), fmt::format("{}", s.started), fmt::format("{}", s.completed),
                      fmt::format("{}", s.failed), fmt::format("{}", s.cut), format_number(s.mean_turns()),
                      ms_cell(s.duration, 50), ms_cell(s.duration, 99)});
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

std::optional<SummaryTable> session_turns_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  t.header = {"step", "turn", "requests", "failed", "mean prompt tokens", "TTFT p50 ms", "TTFT p99 ms", "e2e p50 ms"};
  t.numeric = {false, true, true, true, true, true, true, true};
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const result::StepResult& step = scenario.steps[i];
    if (!step.sessions) continue;
    for (std::size_t k = 0; k < step.sessions->per_turn.size(); ++k) {
      const metrics::TurnMetrics& turn = step.sessions->per_turn[k];
      t.rows.push_back({step_row_name(step, i), fmt::format("{}", k + 1), fmt::format("{}", turn.requests),
                        fmt::format("{}", turn.failed), format_number(turn.mean_prompt_tokens()), ms_cell(turn.ttft, 50),
                        ms_cell(turn.ttft, 99), ms_cell(turn.e2e, 50)});
    }
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

}  // namespace llmbench::reports
