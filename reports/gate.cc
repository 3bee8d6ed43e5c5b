#include "reports/gate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/input_error.h"
#include "harness/result/workload_config.h"
#include "reports/mann_whitney.h"
#include "reports/metric_catalog.h"
#include "reports/step_groups.h"
#include "reports/svg_chart.h"
#include "reports/table.h"

namespace llmbench::reports {

namespace {

bool holds(double lhs, Threshold::Op op, double rhs) {
  switch (op) {
    case Threshold::Op::less:
      return lhs < rhs;
    case Threshold::Op::less_equal:
      return lhs <= rhs;
    case Threshold::Op::greater:
      return lhs > rhs;
    case Threshold::Op::greater_equal:
      return lhs >= rhs;
  }
  return false;
}

std::string format_relative(double change) {
  if (std::isinf(change)) return change > 0 ? "+inf%" : "-inf%";
  return fmt::format("{:+.2f}%", change * 100);
}

GateCheck check_absolute(const Threshold& t, const MetricDef& metric, const Point& point) {
  GateCheck check;
  check.threshold = t.text;
  check.origin = t.origin;
  check.point = point.label();
  check.actual = point.median(metric);
  if (!check.actual) {
    check.message = "not measured at this point";
    return check;
  }
  check.passed = holds(*check.actual, t.op, t.value);
  check.message = fmt::format("{} = {}{}", metric.name, format_number(*check.actual),
                              point.repetitions.size() > 1 ? " (median of repetitions)" : "");
  return check;
}

GateCheck check_relative(const Threshold& t, const MetricDef& metric, const Point& point, const Point* base,
                         double alpha) {
  GateCheck check;
  check.threshold = t.text;
  check.origin = t.origin;
  check.point = point.label();
  check.actual = point.median(metric);
  if (base == nullptr) {
    check.message = "point not in the baseline";
    return check;
  }
  check.baseline = base->median(metric);
  if (!check.actual || !check.baseline) {
    check.message = "not measured in both reports";
    return check;
  }
  check.change = relative_change(*check.baseline, *check.actual);
  check.passed = holds(*check.change, t.op, t.value);
  check.message = fmt::format("{}: {} -> {} ({})", metric.name, format_number(*check.baseline),
                              format_number(*check.actual), format_relative(*check.change));
  const std::size_t n_base = base->values(metric).size(), n_current = point.values(metric).size();
  if (n_base >= 2 && n_current >= 2 && mann_whitney_min_p_value(n_base, n_current) >= alpha) {
    // No outcome of the U test could be significant: letting it veto the threshold would pass
    // every regression. Judge on the threshold alone, as with one repetition, and say so.
    check.repetitions_needed = mann_whitney_repetitions_needed(alpha);
    check.message += fmt::format(
        ", significance not testable: with {} and {} repetitions the smallest possible p is {:.3f} >= "
        "alpha {} ({}); judged on the threshold alone",
        n_base, n_current, mann_whitney_min_p_value(n_base, n_current), alpha,
        check.repetitions_needed ? fmt::format("need {} repetitions on each side", *check.repetitions_needed)
                                 : std::string("no repetition count reaches it"));
    return check;
  }
  if (n_base >= 2 && n_current >= 2) {
    if (auto test = mann_whitney_u(base->values(metric), point.values(metric))) {
      check.p_value = test->p_value;
      if (!check.passed && test->p_value >= alpha) {
        check.passed = true;  // beyond the threshold, but indistinguishable from noise
        check.message += fmt::format(", not significant (p={:.3f} >= {})", test->p_value, alpha);
      } else {
        check.message += fmt::format(", p={:.3f}", test->p_value);
      }
    }
  }
  return check;
}

std::string xml_escape(const std::string& s) { return svg::escape(s); }

}  // namespace

Threshold parse_threshold(const std::string& text, const std::string& where) {
  Threshold t;
  try {
    static_cast<metrics::ThresholdExpression&>(t) = metrics::parse_threshold_expression(text);
  } catch (const std::invalid_argument& e) {
    throw InputError(where, text, e.what());
  }
  t.origin = where;
  return t;
}

std::vector<Threshold> default_thresholds() {
  return {parse_threshold("requests_per_s >= -5%", "default"),
          parse_threshold("p99_ttft_ms <= +10%", "default"), parse_threshold("p99_e2e_ms <= +10%", "default"),
          parse_threshold("error_rate < 1%", "default")};
}

ThresholdSelection select_thresholds(const std::vector<Threshold>& flags, const result::RunReport& current,
                                     const std::string& current_name, const result::RunReport* baseline,
                                     const std::string& baseline_name) {
  ThresholdSelection selection;
  const std::vector<Threshold> stored = thresholds_from_config(current, current_name);
  if (!flags.empty()) {
    selection.thresholds = flags;
    if (!stored.empty()) {
      selection.notes.push_back(
          fmt::format("--threshold replaces the {} thresholds stored in {}; they were not checked",
                      stored.size(), current_name));
    }
  } else {
    selection.thresholds = stored;
  }
  if (baseline != nullptr) {
    const bool any_relative = std::any_of(selection.thresholds.begin(), selection.thresholds.end(),
                                          [](const Threshold& t) { return t.relative; });
    if (!any_relative) {
      for (Threshold t : default_thresholds()) {
        t.origin = fmt::format("baseline comparison with {} (default thresholds)", baseline_name);
        selection.thresholds.push_back(std::move(t));
      }
    }
    const std::string current_hash = result::config_hash(current.config);
    if (current_hash != result::config_hash(baseline->config)) {
      std::string note = fmt::format("the baseline {} measured a different workload configuration ({} vs {})",
                                     baseline_name, result::config_hash(baseline->config), current_hash);
      const auto differences = result::config_differences(baseline->config, current.config, 4);
      if (!differences.empty()) note += ": " + fmt::format("{}", fmt::join(differences, "; "));
      selection.notes.push_back(std::move(note));
    }
  }
  if (selection.thresholds.empty()) {
    throw InputError(
        "--threshold", "",
        fmt::format("no thresholds: {} stores none; give --threshold, or --baseline for the defaults",
                    current_name));
  }
  return selection;
}

bool GateResult::passed() const { return failures() == 0; }

std::size_t GateResult::failures() const {
  std::size_t n = 0;
  for (const GateCheck& c : checks) n += c.passed ? 0 : 1;
  return n;
}

GateResult run_gate(const result::RunReport& current, const result::RunReport* baseline,
                    const GateOptions& options) {
  GateResult result;
  const auto points = group_points(current);
  std::map<PointKey, Point> base_points;
  if (baseline) base_points = group_points(*baseline);
  for (const Threshold& t : options.thresholds) {
    const MetricDef* metric = find_metric(t.metric);
    if (metric == nullptr) throw InputError("threshold", t.text, "unknown metric");
    if (t.relative && baseline == nullptr) {
      throw InputError("threshold", t.text, "is relative to a baseline: give --baseline BASE.json");
    }
    for (const auto& [key, point] : points) {
      if (!t.scenario.empty() && point.scenario->name != t.scenario) continue;
      if (t.relative) {
        auto base = base_points.find(key);
        result.checks.push_back(check_relative(
            t, *metric, point, base == base_points.end() ? nullptr : &base->second, options.alpha));
      } else {
        result.checks.push_back(check_absolute(t, *metric, point));
      }
    }
  }
  std::size_t untestable = 0;
  for (const GateCheck& c : result.checks) untestable += c.repetitions_needed ? 1 : 0;
  if (untestable > 0) {
    const auto needed = mann_whitney_repetitions_needed(options.alpha);
    result.notes.push_back(fmt::format(
        "{} relative checks have too few repetitions for the significance test to reach alpha {} ({}): they "
        "were judged on the threshold alone",
        untestable, options.alpha,
        needed ? fmt::format("need at least {} repetitions per point in both reports", *needed)
               : std::string("no repetition count reaches it")));
  }
  return result;
}

namespace {
void read_threshold_list(const boost::json::value& list, const std::string& where,
                         const std::string& scenario, const std::string& origin,
                         std::vector<Threshold>& out) {
  if (!list.is_array()) throw InputError(where, "", "expected an array of strings");
  for (std::size_t i = 0; i < list.get_array().size(); ++i) {
    const boost::json::value& v = list.get_array()[i];
    const std::string here = fmt::format("{}[{}]", where, i);
    if (!v.is_string()) throw InputError(here, "", "expected a string");
    Threshold t = parse_threshold(std::string(v.get_string()), here);
    t.scenario = scenario;
    t.origin = origin;
    out.push_back(std::move(t));
  }
}
}  // namespace

std::vector<Threshold> thresholds_from_config(const result::RunReport& report, const std::string& source) {
  std::vector<Threshold> out;
  // The runner stores the scenario file's path as config.source.
  std::string origin = "stored in " + source;
  if (const boost::json::value* file = report.config.if_contains("source");
      file != nullptr && file->is_string())
    origin = file->get_string() == "command line" ? fmt::format("run's command line (stored in {})", source)
                                                  : fmt::format("scenario file {} (stored in {})",
                                                                std::string_view(file->get_string()), source);
  const boost::json::value* scenarios = report.config.if_contains("scenarios");
  if (scenarios == nullptr || !scenarios->is_array()) return out;
  for (std::size_t i = 0; i < scenarios->get_array().size(); ++i) {
    const boost::json::value& s = scenarios->get_array()[i];
    if (!s.is_object()) continue;
    const boost::json::value* list = s.get_object().if_contains("thresholds");
    const boost::json::value* name = s.get_object().if_contains("name");
    if (list == nullptr) continue;
    const std::string where = fmt::format("{}: config.scenarios[{}].thresholds", source, i);
    if (name == nullptr || !name->is_string()) throw InputError(where, "", "scenario without a name");
    read_threshold_list(*list, where, std::string(name->get_string()), origin, out);
  }
  return out;
}

namespace {

// The checks grouped by origin, in the order the origins first appear.
std::vector<std::pair<std::string, std::vector<const GateCheck*>>> by_origin(const GateResult& result) {
  std::vector<std::pair<std::string, std::vector<const GateCheck*>>> groups;
  for (const GateCheck& c : result.checks) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == c.origin; });
    if (it == groups.end()) {
      groups.emplace_back(c.origin, std::vector<const GateCheck*>{});
      it = std::prev(groups.end());
    }
    it->second.push_back(&c);
  }
  return groups;
}

std::size_t failures_of(const std::vector<const GateCheck*>& checks) {
  return static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [](const GateCheck* c) { return !c->passed; }));
}

std::string origin_title(const std::string& origin) {
  return origin.empty() ? std::string("thresholds") : origin;
}

// The origin in a table cell: its kind; the list above the table gives it in full.
std::string origin_label(const std::string& origin) {
  for (const char* kind : {"scenario file", "baseline comparison", "run's command line"}) {
    if (origin.rfind(kind, 0) == 0) return kind;
  }
  return origin_title(origin);
}

}  // namespace

std::string format_gate_text(const GateResult& result) {
  std::string out;
  const auto groups = by_origin(result);
  std::vector<std::string> sets;
  for (const auto& [origin, checks] : groups)
    sets.push_back(fmt::format("{} from {}", checks.size(), origin_title(origin)));
  out += fmt::format("gate: {} {}: {}\n", result.checks.size(), result.checks.size() == 1 ? "check" : "checks",
                     fmt::join(sets, "; "));
  for (const std::string& note : result.notes) out += "note: " + note + "\n";
  for (const auto& [origin, checks] : groups) {
    out += fmt::format("{}: {} of {} failed\n", origin_title(origin), failures_of(checks), checks.size());
    for (const GateCheck* c : checks) {
      out += fmt::format("  {}  {}  [{}]  {}\n", c->passed ? "PASS" : "FAIL", c->threshold, c->point,
                         c->message);
    }
  }
  out += fmt::format("gate: {} ({} of {} checks failed)\n", result.passed() ? "passed" : "FAILED",
                     result.failures(), result.checks.size());
  return out;
}

std::string format_gate_markdown(const GateResult& result) {
  std::string out =
      fmt::format("### llmbench gate: {}\n\n{} of {} checks failed.\n\n",
                  result.passed() ? "passed ✅" : "failed ❌", result.failures(), result.checks.size());
  const auto groups = by_origin(result);
  out += "Checks:\n\n";
  for (const auto& [origin, checks] : groups) {
    out += fmt::format("- {} from {}: {} failed\n", checks.size(), origin_title(origin), failures_of(checks));
  }
  out += "\n";
  for (const std::string& note : result.notes) out += "> **Note:** " + note + "\n>\n";
  if (!result.notes.empty()) out += "\n";
  out += "| result | threshold | from | point | detail |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& [origin, checks] : groups) {
    for (const GateCheck* c : checks) {
      out += fmt::format("| {} | `{}` | {} | {} | {} |\n", c->passed ? "pass" : "**FAIL**", c->threshold,
                         origin_label(origin), c->point, c->message);
    }
  }
  return out;
}

std::string format_gate_junit(const GateResult& result) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"llmbench gate\" tests=\"{0}\" "
      "failures=\"{1}\">\n",
      result.checks.size(), result.failures());
  std::string notes;
  for (const std::string& note : result.notes) notes += "note: " + note + "\n";
  // One testsuite per origin, so a CI view shows which set of checks each result belongs to.
  for (const auto& [origin, checks] : by_origin(result)) {
    out +=
        fmt::format("<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                    xml_escape("llmbench gate: " + origin_title(origin)), checks.size(), failures_of(checks));
    for (const GateCheck* c : checks) {
      out += fmt::format("<testcase classname=\"{}\" name=\"{}\"", xml_escape("llmbench." + c->point),
                         xml_escape(c->threshold));
      if (c->passed) {
        out += "/>\n";
      } else {
        out +=
            fmt::format(">\n<failure message=\"{0}\">{0}</failure>\n</testcase>\n", xml_escape(c->message));
      }
    }
    if (!notes.empty()) out += "<system-out>" + xml_escape(notes) + "</system-out>\n";
    out += "</testsuite>\n";
  }
  if (result.checks.empty())
    out += "<testsuite name=\"llmbench gate\" tests=\"0\" failures=\"0\" errors=\"0\"/>\n";
  return out + "</testsuites>\n";
}

}  // namespace llmbench::reports
