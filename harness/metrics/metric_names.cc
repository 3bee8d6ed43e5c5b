#include "harness/metrics/metric_names.h"

#include <fmt/format.h>

namespace llmbench::metrics {

namespace {

struct Scalar {
  const char* name;
  const char* unit;
  bool higher_is_better;
};
constexpr Scalar kScalars[] = {
      {"requests_total", "count", true},       {"requests_ok", "count", true},
      {"requests_failed", "count", false},     {"retries", "count", false},
      {"rejected_attempts", "count", false},   {"good_requests", "count", true},
      {"input_tokens", "tokens", true},        {"output_tokens", "tokens", true},
      {"requests_per_s", "1/s", true},         {"output_tokens_per_s", "1/s", true},
      {"total_tokens_per_s", "1/s", true},     {"output_tokens_per_s_per_user", "1/s", true},
      {"goodput_rps", "1/s", true},            {"mean_in_flight", "count", true},
      {"error_rate", "ratio", false},          {"throughput_ratio", "ratio", true},
      {"ttft_overhead_p50_ms", "ms", false},   {"ttft_overhead_p99_ms", "ms", false}};

std::vector<MetricInfo> build_list() {
  std::vector<MetricInfo> list;
  for (const Scalar& s : kScalars) list.push_back({s.name, s.unit, s.higher_is_better, "", "", false});
  const char* const stats[] = {"p50", "p90", "p95", "p99", "p99_9", "min", "max", "mean", "stddev"};
  const auto add = [&](const char* dist, const char* name, const char* unit, bool higher, bool optional = false) {
    for (const char* s : stats)
      list.push_back({fmt::format(fmt::runtime(name), s, dist), unit, higher, dist, s, optional});
  };
  for (const char* dist : {"ttft", "ttft_corrected", "e2e", "e2e_corrected", "itl", "tpot", "queue_wait",
                           "schedule_lag", "cap_wait", "server_queue"})
    add(dist, "{}_{}_ms", "ms", false);
  add("output_tokens", "{}_request_{}", "tokens", true);
  add("output_tokens_per_s", "{}_request_{}", "1/s", true);
  // Reasoning models only (docs/metrics.md): appended, so the columns before keep their order.
  list.push_back({"reasoning_tokens", "tokens", true, "", "", true});
  add("ttfo", "{}_{}_ms", "ms", false, true);
  // Requests with a pinned output length only (docs/metrics.md), appended the same way.
  list.push_back({"stopped_early", "count", false, "", "", true});
  return list;
}

}  // namespace

const std::vector<MetricInfo>& metric_list() {
  static const std::vector<MetricInfo> list = build_list();
  return list;
}

std::optional<std::string> canonical_metric_name(std::string_view name) {
  std::string wanted(name);
  if (wanted == "throughput") wanted = "requests_per_s";
  if (wanted == "goodput") wanted = "goodput_rps";
  if (wanted == "efficiency") wanted = "throughput_ratio";
  if (wanted.rfind("p999_", 0) == 0) wanted = "p99_9_" + wanted.substr(5);
  for (const std::string& candidate : {wanted, wanted + "_ms"}) {
    for (const MetricInfo& m : metric_list())
      if (m.name == candidate) return candidate;
  }
  return std::nullopt;
}

}  // namespace llmbench::metrics
