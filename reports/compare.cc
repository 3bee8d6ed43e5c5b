#include "reports/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/input_error.h"
#include "harness/result/workload_config.h"
#include "reports/mann_whitney.h"
#include "reports/metric_catalog.h"
#include "reports/step_groups.h"
#include "reports/table.h"

namespace llmbench::reports {

namespace {

std::string format_change(const std::optional<double>& change) {
  if (!change) return "-";
  if (std::isinf(*change)) return *change > 0 ? "+inf" : "-inf";
  return fmt::format("{:+.1f}%", *change * 100);
}

std::vector<std::string> cells(const ComparisonRow& r) {
  return {r.point,
          r.metric,
          format_optional(r.base),
          format_optional(r.current),
          format_change(r.change),
          r.p_value ? fmt::format("{:.4f}", *r.p_value) : "-",
          fmt::format("{}/{}", r.base_repetitions, r.current_repetitions),
          !r.repetitions_needed        ? r.verdict
          : *r.repetitions_needed == 0 ? r.verdict + " (significance untestable at this alpha)"
                                       : fmt::format("{} (too few repetitions to test significance: need {})",
                                                     r.verdict, *r.repetitions_needed)};
}

const std::vector<std::string> kHeader = {"point",  "metric",  "base", "current",
                                          "change", "p-value", "reps", "verdict"};

}  // namespace

std::vector<ComparisonRow> compare_reports(const result::RunReport& base, const result::RunReport& current,
                                           const CompareOptions& options) {
  std::vector<const MetricDef*> metrics;
  for (const std::string& name : options.metrics) {
    const MetricDef* m = find_metric(name);
    if (m == nullptr) throw InputError("--metric", name, "unknown metric (see docs/metrics.md)");
    metrics.push_back(m);
  }
  const auto base_points = group_points(base);
  const auto current_points = group_points(current);
  std::vector<ComparisonRow> rows;
  auto emit = [&](const Point* b, const Point* c) {
    for (const MetricDef* metric : metrics) {
      ComparisonRow row;
      row.point = (c ? c : b)->label();
      row.metric = metric->name;
      if (b) {
        row.base = b->median(*metric);
        row.base_repetitions = b->repetitions.size();
      }
      if (c) {
        row.current = c->median(*metric);
        row.current_repetitions = c->repetitions.size();
      }
      if (!row.base || !row.current) {
        row.verdict = !c || !row.current ? "missing" : "new";
        rows.push_back(std::move(row));
        continue;
      }
      row.change = relative_change(*row.base, *row.current);
      const std::size_t n_base = b->values(*metric).size(), n_current = c->values(*metric).size();
      if (n_base >= 2 && n_current >= 2) {
        if (auto test = mann_whitney_u(b->values(*metric), c->values(*metric))) row.p_value = test->p_value;
      }
      const bool beyond_noise = std::fabs(*row.change) >= options.noise_threshold;
      const bool improved = (*row.change > 0) == metric->higher_is_better;
      // With e.g. 3 and 3 repetitions no p-value can be below 0.05: a large p says nothing then.
      const bool testable = row.p_value && mann_whitney_min_p_value(n_base, n_current) < options.alpha;
      if (row.p_value && !testable && beyond_noise) {
        row.repetitions_needed = mann_whitney_repetitions_needed(options.alpha).value_or(0);
      }
      if (!beyond_noise) {
        row.verdict = "same";
      } else if (testable && *row.p_value >= options.alpha) {
        row.verdict = "noise";
      } else {
        row.verdict = improved ? "better" : "worse";
      }
      rows.push_back(std::move(row));
    }
  };
  for (const auto& [key, b] : base_points) {
    auto c = current_points.find(key);
    emit(&b, c == current_points.end() ? nullptr : &c->second);
  }
  for (const auto& [key, c] : current_points) {
    if (!base_points.count(key)) emit(nullptr, &c);
  }
  return rows;
}

std::optional<std::string> workload_mismatch(const result::RunReport& base, const std::string& base_name,
                                             const result::RunReport& current,
                                             const std::string& current_name) {
  const std::string base_hash = result::config_hash(base.config);
  const std::string current_hash = result::config_hash(current.config);
  if (base_hash == current_hash) return std::nullopt;
  std::string text = fmt::format(
      "the reports measured different workloads ({} has config_hash {}, {} has {}): their figures differ by "
      "configuration, not only by software. Differing keys:",
      base_name, base_hash, current_name, current_hash);
  for (const std::string& d : result::config_differences(base.config, current.config)) text += "\n  " + d;
  return text;
}

SummaryTable comparison_table(const std::vector<ComparisonRow>& rows) {
  SummaryTable t;
  t.header = kHeader;
  t.numeric = {false, false, true, true, true, true, true, false};
  for (const ComparisonRow& r : rows) t.rows.push_back(cells(r));
  return t;
}

std::string format_comparison_text(const std::vector<ComparisonRow>& rows, bool color) {
  std::vector<std::vector<std::string>> table;
  for (const ComparisonRow& r : rows) table.push_back(cells(r));
  std::vector<std::size_t> width(kHeader.size());
  for (std::size_t c = 0; c < kHeader.size(); ++c) {
    width[c] = kHeader[c].size();
    for (const auto& row : table) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const bool left = c < 2 || c + 1 == row.size();
      std::string cell =
          left ? fmt::format("{:<{}}", row[c], width[c]) : fmt::format("{:>{}}", row[c], width[c]);
      if (color && c + 1 == row.size()) {
        if (row[c].rfind("worse", 0) == 0) cell = "\x1b[31m" + cell + "\x1b[0m";
        if (row[c].rfind("better", 0) == 0) cell = "\x1b[32m" + cell + "\x1b[0m";
      }
      text += (c ? "  " : "") + cell;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string out = line(kHeader);
  for (const auto& row : table) out += line(row);
  return out;
}

std::string format_comparison_markdown(const std::vector<ComparisonRow>& rows) {
  std::string out =
      "| point | metric | base | current | change | p-value | reps | verdict |\n"
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n";
  for (const ComparisonRow& r : rows) {
    std::vector<std::string> c = cells(r);
    if (r.verdict == "worse") c.back().replace(0, 5, "**worse**");
    out += "|";
    for (const std::string& cell : c) out += " " + cell + " |";
    out += "\n";
  }
  return out;
}

}  // namespace llmbench::reports
