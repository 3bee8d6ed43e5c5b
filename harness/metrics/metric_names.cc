#include "harness/metrics/metric_names.h"

#include <algorithm>

namespace llmbench::metrics {

namespace {

std::vector<std::string> build_names() {
  std::vector<std::string> names = {"requests_total",
                                    "requests_ok",
                                    "requests_failed",
                                    "retries",
                                    "rejected_attempts",
                                    "good_requests",
                                    "input_tokens",
                                    "output_tokens",
                                    "requests_per_s",
                                    "output_tokens_per_s",
                                    "total_tokens_per_s",
                                    "output_tokens_per_s_per_user",
                                    "goodput_rps",
                                    "mean_in_flight",
                                    "error_rate",
                                    "throughput_ratio",
                                    "ttft_overhead_p50_ms",
                                    "ttft_overhead_p99_ms"};
  const char* const stats[] = {"p50", "p90", "p95", "p99", "p99_9", "min", "max", "mean", "stddev"};
  for (const char* dist :
       {"ttft", "ttft_corrected", "e2e", "e2e_corrected", "itl", "tpot", "queue_wait", "schedule_lag", "cap_wait",
        "server_queue"}) {
    for (const char* stat : stats) names.push_back(std::string(stat) + "_" + dist + "_ms");
  }
  for (const char* dist : {"output_tokens", "output_tokens_per_s"}) {
    for (const char* stat : stats) names.push_back(std::string(stat) + "_request_" + dist);
  }
  return names;
}

}  // namespace

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = build_names();
  return names;
}

std::optional<std::string> canonical_metric_name(std::string_view name) {
  std::string wanted(name);
  if (wanted == "throughput") wanted = "requests_per_s";
  if (wanted == "goodput") wanted = "goodput_rps";
  if (wanted == "efficiency") wanted = "throughput_ratio";
  if (wanted.rfind("p999_", 0) == 0) wanted = "p99_9_" + wanted.substr(5);
  const std::vector<std::string>& names = metric_names();
  for (const std::string& candidate : {wanted, wanted + "_ms"}) {
    if (std::find(names.begin(), names.end(), candidate) != names.end()) return candidate;
  }
  return std::nullopt;
}

}  // namespace llmbench::metrics
