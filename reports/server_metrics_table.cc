#include "reports/server_metrics_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <string_view>

namespace llmbench::reports {

namespace {

// Every value of the series named `name` (all label sets of one name are summed per scrape,
// as a server with several engines exposes one series per engine).
std::vector<double> per_scrape(const result::ServerMetrics& m, std::initializer_list<std::string_view> names) {
  for (const std::string_view name : names) {
    std::vector<double> sums(m.t_s.size(), 0.0);
    std::vector<bool> seen(m.t_s.size(), false);
    bool any = false;
    for (const result::ServerSeries& s : m.series) {
      if (s.name != name) continue;
      for (std::size_t i = 0; i < s.values.size() && i < sums.size(); ++i) {
        if (!s.values[i]) continue;
        sums[i] += *s.values[i];
        seen[i] = true;
        any = true;
      }
    }
    if (!any) continue;
    std::vector<double> out;
    for (std::size_t i = 0; i < sums.size(); ++i) {
      if (seen[i]) out.push_back(sums[i]);
    }
    return out;
  }
  return {};
}

std::string max_cell(const std::vector<double>& v, double scale = 1) {
  if (v.empty()) return "-";
  return format_number(*std::max_element(v.begin(), v.end()) * scale);
}

std::string mean_cell(const std::vector<double>& v, double scale = 1) {
  if (v.empty()) return "-";
  double sum = 0;
  for (const double x : v) sum += x;
  return format_number(sum / static_cast<double>(v.size()) * scale);
}

std::string increase_cell(const std::vector<double>& v) {
  if (v.size() < 2) return "-";
  return format_number(v.back() - v.front());
}

}  // namespace

std::optional<SummaryTable> server_metrics_table(const result::ScenarioResult& scenario) {
  SummaryTable t;
  t.header = {"step", "scrapes", "running max", "waiting max", "KV cache mean %", "KV cache max %",
              "prompt tokens", "generated tokens", "preemptions"};
  t.numeric = {false, true, true, true, true, true, true, true, true};
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const result::StepResult& step = scenario.steps[i];
    if (!step.server_metrics) continue;
    const result::ServerMetrics& m = *step.server_metrics;
    const auto kv = per_scrape(m, {"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"});
    std::string scrapes = fmt::format("{}", m.t_s.size());
    if (m.failed_scrapes > 0) scrapes += fmt::format(" ({} failed)", m.failed_scrapes);
    t.rows.push_back({step_row_name(step, i), scrapes,
                      max_cell(per_scrape(m, {"vllm:num_requests_running"})),
                      max_cell(per_scrape(m, {"vllm:num_requests_waiting"})), mean_cell(kv, 100), max_cell(kv, 100),
                      increase_cell(per_scrape(m, {"vllm:prompt_tokens_total"})),
                      increase_cell(per_scrape(m, {"vllm:generation_tokens_total"})),
                      increase_cell(per_scrape(m, {"vllm:num_preemptions_total"}))});
  }
  if (t.rows.empty()) return std::nullopt;
  return t;
}

}  // namespace llmbench::reports
