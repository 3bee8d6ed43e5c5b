#include "reports/gate.h"

#include <fmt/format.h>

#include <cmath>
#include <regex>

#include "common/input_error.h"
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
  if (point.repetitions.size() >= 2 && base->repetitions.size() >= 2) {
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
  static const std::regex pattern(
      R"(^\s*([A-Za-z0-9_]+)\s*(<=|>=|<|>)\s*([+-]?)\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(%?)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) {
    throw InputError(
        where, text,
        "expected METRIC OP VALUE, e.g. 'p99_ttft_ms < 200', 'error_rate < 0.1%', 'throughput >= -5%'");
  }
  const MetricDef* metric = find_metric(m[1].str());
  if (metric == nullptr)
    throw InputError(where, text, "unknown metric '" + m[1].str() + "' (see docs/metrics.md)");
  Threshold t;
  t.text = text;
  t.metric = metric->name;
  const std::string op = m[2].str();
  t.op = op == "<"    ? Threshold::Op::less
         : op == "<=" ? Threshold::Op::less_equal
         : op == ">"  ? Threshold::Op::greater
                      : Threshold::Op::greater_equal;
  t.value = std::stod(m[4].str());
  const bool percent = m[5].matched && m[5].length() > 0;
  t.relative = m[3].length() > 0;
  if (t.relative && !percent) {
    throw InputError(where, text, "a signed (relative) threshold needs a % unit, e.g. '>= -5%'");
  }
  if (percent) t.value /= 100.0;
  if (m[3].str() == "-") t.value = -t.value;
  return t;
}

std::vector<Threshold> default_thresholds() {
  return {parse_threshold("requests_per_s >= -5%", "default"),
          parse_threshold("p99_ttft_ms <= +10%", "default"), parse_threshold("p99_e2e_ms <= +10%", "default"),
          parse_threshold("error_rate < 1%", "default")};
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
  return result;
}

namespace {
void read_threshold_list(const boost::json::value& list, const std::string& where,
                         const std::string& scenario, std::vector<Threshold>& out) {
  if (!list.is_array()) throw InputError(where, "", "expected an array of strings");
  for (std::size_t i = 0; i < list.get_array().size(); ++i) {
    const boost::json::value& v = list.get_array()[i];
    const std::string here = fmt::format("{}[{}]", where, i);
    if (!v.is_string()) throw InputError(here, "", "expected a string");
    Threshold t = parse_threshold(std::string(v.get_string()), here);
    t.scenario = scenario;
    out.push_back(std::move(t));
  }
}
}  // namespace

std::vector<Threshold> thresholds_from_config(const result::RunReport& report, const std::string& source) {
  std::vector<Threshold> out;
  if (const boost::json::value* gate = report.config.if_contains("gate");
      gate != nullptr && gate->is_object()) {
    if (const boost::json::value* list = gate->get_object().if_contains("thresholds")) {
      read_threshold_list(*list, source + ": config.gate.thresholds", "", out);
    }
  }
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
    read_threshold_list(*list, where, std::string(name->get_string()), out);
  }
  return out;
}

std::string format_gate_text(const GateResult& result) {
  std::string out;
  for (const GateCheck& c : result.checks) {
    out += fmt::format("{}  {}  [{}]  {}\n", c.passed ? "PASS" : "FAIL", c.threshold, c.point, c.message);
  }
  out += fmt::format("gate: {} ({} of {} checks failed)\n", result.passed() ? "passed" : "FAILED",
                     result.failures(), result.checks.size());
  return out;
}

std::string format_gate_markdown(const GateResult& result) {
  std::string out =
      fmt::format("### llmbench gate: {}\n\n{} of {} checks failed.\n\n",
                  result.passed() ? "passed ✅" : "failed ❌", result.failures(), result.checks.size());
  out += "| result | threshold | point | detail |\n| --- | --- | --- | --- |\n";
  for (const GateCheck& c : result.checks) {
    out += fmt::format("| {} | `{}` | {} | {} |\n", c.passed ? "pass" : "**FAIL**", c.threshold, c.point,
                       c.message);
  }
  return out;
}

std::string format_gate_junit(const GateResult& result) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"llmbench gate\" tests=\"{0}\" "
      "failures=\"{1}\">\n"
      "<testsuite name=\"llmbench gate\" tests=\"{0}\" failures=\"{1}\" errors=\"0\">\n",
      result.checks.size(), result.failures());
  for (const GateCheck& c : result.checks) {
    out += fmt::format("<testcase classname=\"{}\" name=\"{}\"", xml_escape("llmbench." + c.point),
                       xml_escape(c.threshold));
    if (c.passed) {
      out += "/>\n";
    } else {
      out += fmt::format(">\n<failure message=\"{0}\">{0}</failure>\n</testcase>\n", xml_escape(c.message));
    }
  }
  return out + "</testsuite>\n</testsuites>\n";
}

}  // namespace llmbench::reports
