#include "harness/metrics/threshold_expression.h"

#include <regex>
#include <stdexcept>

#include "harness/metrics/metric_names.h"

namespace llmbench::metrics {

ThresholdExpression parse_threshold_expression(std::string_view text) {
  static const std::regex pattern(
      R"(^\s*([A-Za-z0-9_]+)\s*(<=|>=|<|>)\s*([+-]?)\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(%?)\s*$)");
  const std::string s(text);
  std::smatch m;
  if (!std::regex_match(s, m, pattern)) {
    throw std::invalid_argument(
        "expected METRIC OP VALUE with OP one of < <= > >=, e.g. 'p99_ttft_ms < 200', 'error_rate < 0.1%', "
        "'throughput >= -5%'");
  }
  const std::optional<std::string> metric = canonical_metric_name(m[1].str());
  if (!metric) throw std::invalid_argument("unknown metric '" + m[1].str() + "' (see docs/metrics.md)");
  ThresholdExpression t;
  t.text = s;
  t.metric = *metric;
  const std::string op = m[2].str();
  t.op = op == "<"    ? ThresholdExpression::Op::less
         : op == "<=" ? ThresholdExpression::Op::less_equal
         : op == ">"  ? ThresholdExpression::Op::greater
                      : ThresholdExpression::Op::greater_equal;
  t.value = std::stod(m[4].str());
  const bool percent = m[5].length() > 0;
  t.relative = m[3].length() > 0;
  if (t.relative && !percent) {
    throw std::invalid_argument("a signed (relative) threshold needs a % unit, e.g. '>= -5%'");
  }
  if (percent) t.value /= 100.0;
  if (m[3].str() == "-") t.value = -t.value;
  return t;
}

}  // namespace llmbench::metrics
