// Console, CSV and Markdown: the text formatters.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "reports/error_table.h"
#include "reports/formatters.h"
#include "reports/latency_views.h"
#include "reports/metric_catalog.h"
#include "reports/server_metrics_table.h"
#include "reports/session_table.h"
#include "reports/sweep_verdict.h"
#include "reports/table.h"
#include "reports/workload_header.h"

namespace llmbench::reports {

namespace {

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kReset = "\x1b[0m";

std::string scenario_title(const result::ScenarioResult& s) {
  return fmt::format("{} ({} {}, {} load)", s.name, s.mode, s.operation, s.load_model);
}

std::string csv_escape(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string md_escape(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string csv_number(double v) { return fmt::format("{}", v); }

// "token counts estimated for 3 of 40 successful requests (...)", or "" when none were.
std::string estimated_usage_note(const result::ScenarioResult& scenario) {
  std::uint64_t estimated = 0, ok = 0;
  for (const result::StepResult& step : scenario.steps) {
    estimated += step.metrics.counts.estimated_usage;
    ok += step.metrics.counts.ok;
  }
  std::uint64_t counted = 0;
  for (const result::StepResult& step : scenario.steps) counted += step.metrics.counts.counted_usage;
  std::string note;
  if (estimated > 0) {
    note = fmt::format("token counts estimated for {} of {} successful requests (the server reported no usage)",
                       estimated, ok);
  }
  if (counted > 0) {
    note += fmt::format("{}output tokens of {} of {} successful requests counted with the tokenizer (the server "
                        "reported no usage)",
                        note.empty() ? "" : "; ", counted, ok);
  }
  return note;
}

// "3 of 40 successful requests stopped before the output length they asked for (...)", or "".
std::string stopped_early_note(const result::ScenarioResult& scenario) {
  std::uint64_t early = 0, ok = 0;
  for (const result::StepResult& step : scenario.steps) {
    early += step.metrics.counts.stopped_early;
    ok += step.metrics.counts.ok;
  }
  if (early == 0) return {};
  return fmt::format("{} of {} successful requests stopped before the output length they asked for "
                     "(ignore_eos / min_tokens; docs/metrics.md)",
                     early, ok);
}

std::string styled(bool color, const char* code, const std::string& text) {
  return color ? std::string(code) + text + kReset : text;
}

// Aligned columns, numbers right-aligned; with `errors_column` the last column of a row that
// has failures stands out in red on a terminal.
std::string console_table(const SummaryTable& t, bool color, bool errors_column) {
  std::vector<std::size_t> width(t.header.size());
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    width[c] = t.header[c].size();
    for (const auto& row : t.rows) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells, bool is_header) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) text += "  ";
      std::string cell = t.numeric[c] ? fmt::format("{:>{}}", cells[c], width[c])
                                      : fmt::format("{:<{}}", cells[c], width[c]);
      if (errors_column && !is_header && c + 1 == cells.size() && cells[c] != "-") cell = styled(color, kRed, cell);
      text += cell;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
  };
  std::string out = styled(color, kBold, line(t.header, true)) + "\n";
  for (const auto& row : t.rows) out += line(row, false) + "\n";
  return out;
}

std::string markdown_table(const SummaryTable& t) {
  std::string header = "|", rule = "|";
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    header += " " + t.header[c] + " |";
    rule += t.numeric[c] ? " ---: |" : " --- |";
  }
  std::string out = header + "\n" + rule + "\n";
  for (const auto& row : t.rows) {
    std::string line = "|";
    for (const std::string& cell : row) line += " " + md_escape(cell) + " |";
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string format_console(const result::RunReport& report, const ConsoleOptions& options) {
  const auto style = [&](const char* code, const std::string& text) {
    return options.color ? std::string(code) + text + kReset : text;
  };
  const result::Environment& env = report.environment;
  std::string out = style(kBold, fmt::format("llmbench {} report", report.tool_version)) +
                    fmt::format("  {} · {} × {} · {} {} · {}\n", report.started_at, env.cpu_count,
                                env.cpu_model, env.os, env.kernel, env.build_flavor);
  const WorkloadHeader header = workload_header(report);
  for (const std::string& line : header.lines) out += line + "\n";
  for (const std::string& warning : header.warnings) out += style(kYellow, "warning: " + warning) + "\n";
  if (report.interrupted) out += style(kRed, "interrupted: partial results") + "\n";
  if (!report.merged_from.empty()) out += fmt::format("merged from {} reports\n", report.merged_from.size());

  for (const result::ScenarioResult& scenario : report.scenarios) {
    out += "\n" + style(kBold, scenario_title(scenario)) + "\n";
    if (const std::string workload = scenario_workload(report, scenario.name); !workload.empty())
      out += workload + "\n";
    out += console_table(summary_table(scenario), options.color, /*errors_column=*/true);
    if (const auto verdict = sweep_verdict(scenario)) out += "verdict: " + *verdict + "\n";
    if (const auto search = search_verdict(scenario)) out += style(kBold, *search) + "\n";
    if (const auto corrected = corrected_latency_table(scenario)) {
      out += "corrected latency (from the intended send time; differs > 5% from the measured):\n";
      out += console_table(*corrected, options.color, /*errors_column=*/false);
    }
    if (const auto goodput = goodput_table(scenario)) {
      out += "goodput (requests within every SLO):\n";
      out += console_table(*goodput, options.color, /*errors_column=*/false);
    }
    // Why requests failed: HTTP statuses and the first distinct messages per kind.
    const std::vector<ErrorRow> errors = error_rows(scenario);
    if (!errors.empty()) {
      out += "errors:\n";
      for (const ErrorRow& row : errors)
        out += "  " + row.step + "  " + style(kRed, error_row_text(row)) + "\n";
    }
    if (const std::string note = estimated_usage_note(scenario); !note.empty()) out += "note: " + note + "\n";
    if (const std::string note = stopped_early_note(scenario); !note.empty()) out += "note: " + note + "\n";
    if (const auto sessions = session_totals_table(scenario)) {
      out += "sessions (a failed turn ends its session; cut: the step ended before its next turn):\n";
      out += console_table(*sessions, options.color, /*errors_column=*/false);
    }
    if (const auto turns = session_turns_table(scenario)) {
      out += "per turn (each turn sends the history so far):\n";
      out += console_table(*turns, options.color, /*errors_column=*/false);
    }
    if (const auto server = server_metrics_table(scenario)) {
      out += "server metrics (the target's /metrics during each step):\n";
      out += console_table(*server, options.color, /*errors_column=*/false);
    }
  }
  return out;
}

std::string format_csv(const result::RunReport& report) {
  std::vector<std::string> header = {"scenario",        "mode",        "operation",  "load_model",
                                     "sweep_parameter", "sweep_value", "repetition", "started_at",
                                     "stop_reason",     "interrupted", "duration_s", "concurrency",
                                     "target_rate_rps"};
  for (std::size_t i = 1; i < harness::kErrorKindCount; ++i) {
    header.push_back("errors_" + std::string(harness::error_kind_name(static_cast<harness::ErrorKind>(i))));
  }
  // An optional metric (reasoning models) has its column only when some step has a value.
  std::vector<const MetricDef*> columns;
  for (const MetricDef& m : metric_catalog()) {
    bool wanted = !m.optional;
    for (const result::ScenarioResult& s : report.scenarios)
      for (const result::StepResult& step : s.steps) wanted = wanted || m.value(step).has_value();
    if (wanted) columns.push_back(&m);
  }
  for (const MetricDef* m : columns) header.push_back(m->name);

  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_escape(cells[i]);
    out += "\n";
  };
  emit(header);
  for (const result::ScenarioResult& s : report.scenarios) {
    for (const result::StepResult& step : s.steps) {
      const metrics::StepTiming& timing = step.metrics.timing;
      std::vector<std::string> row = {s.name,
                                      std::string(to_name(s.mode)),
                                      std::string(to_name(s.operation)),
                                      std::string(to_name(s.load_model)),
                                      step.sweep_parameter,
                                      csv_number(step.sweep_value),
                                      fmt::format("{}", step.repetition),
                                      step.started_at,
                                      std::string(to_name(step.stop_reason)),
                                      step.interrupted ? "true" : "false",
                                      csv_number(timing.duration_s),
                                      csv_number(timing.concurrency),
                                      timing.target_rate_rps ? csv_number(*timing.target_rate_rps) : ""};
      for (std::size_t i = 1; i < harness::kErrorKindCount; ++i) {
        row.push_back(fmt::format("{}", step.metrics.counts.errors_by_kind[i]));
      }
      for (const MetricDef* m : columns) {
        const std::optional<double> v = m->value(step);
        row.push_back(v ? csv_number(*v) : "");
      }
      emit(row);
    }
  }
  return out;
}

std::string format_markdown(const result::RunReport& report) {
  const result::Environment& env = report.environment;
  std::string out = fmt::format("## llmbench report\n\n{} · llmbench {} ({}) · {} · {} × {} · {} {}\n",
                                report.started_at, report.tool_version, env.build_flavor, env.host,
                                env.cpu_count, env.cpu_model, env.os, env.kernel);
  const WorkloadHeader header = workload_header(report);
  if (!header.lines.empty()) out += "\n" + fmt::format("{}", fmt::join(header.lines, "  \n")) + "\n";
  for (const std::string& warning : header.warnings) out += fmt::format("\n> **Warning:** {}\n", warning);
  if (report.interrupted) out += "\n> **Interrupted:** these are partial results.\n";
  if (!report.merged_from.empty()) {
    out += fmt::format("\nMerged from {} reports: {}\n", report.merged_from.size(),
                       fmt::format("{}", fmt::join(report.merged_from, ", ")));
  }
  for (const result::ScenarioResult& scenario : report.scenarios) {
    out += fmt::format("\n### {}\n\n", md_escape(scenario_title(scenario)));
    if (const std::string workload = scenario_workload(report, scenario.name); !workload.empty())
      out += md_escape(workload) + "\n\n";
    out += markdown_table(summary_table(scenario));
    if (const auto verdict = sweep_verdict(scenario)) out += "\n**Verdict:** " + md_escape(*verdict) + "\n";
    if (const auto search = search_verdict(scenario)) out += "\n**" + md_escape(*search) + "**\n";
    if (const auto corrected = corrected_latency_table(scenario)) {
      out += "\nCorrected latency (from the intended send time; differs > 5% from the measured):\n\n";
      out += markdown_table(*corrected);
    }
    if (const auto goodput = goodput_table(scenario)) {
      out += "\nGoodput (requests within every SLO):\n\n" + markdown_table(*goodput);
    }
    // Noise-robust ratios, when the runner knew the target's configured latency.
    if (const auto efficiency = efficiency_table(scenario)) out += "\n" + markdown_table(*efficiency);
    const std::vector<ErrorRow> errors = error_rows(scenario);
    if (!errors.empty()) {
      out +=
          "\n| step | error | requests | HTTP statuses | first messages |\n| --- | --- | ---: | --- | --- "
          "|\n";
      for (const ErrorRow& row : errors) {
        out += fmt::format("| {} | {} | {} | {} | {} |\n", md_escape(row.step), row.kind, row.count,
                           row.statuses.empty() ? "-" : row.statuses,
                           row.messages.empty() ? "-" : md_escape(row.messages));
      }
    }
    if (const std::string note = estimated_usage_note(scenario); !note.empty())
      out += "\n> **Note:** " + note + ".\n";
    if (const std::string note = stopped_early_note(scenario); !note.empty())
      out += "\n> **Note:** " + note + ".\n";
    if (const auto sessions = session_totals_table(scenario)) {
      out += "\nSessions (a failed turn ends its session; cut: the step ended before its next turn):\n\n" +
             markdown_table(*sessions);
    }
    if (const auto turns = session_turns_table(scenario)) {
      out += "\nPer turn (each turn sends the history so far):\n\n" + markdown_table(*turns);
    }
    if (const auto server = server_metrics_table(scenario)) {
      out += "\nServer metrics (the target's /metrics during each step):\n\n" + markdown_table(*server);
    }
  }
  return out;
}

}  // namespace llmbench::reports
