#include "reports/workload_header.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdlib>

namespace llmbench::reports {

namespace {

namespace json = boost::json;

const json::object* object_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Numbers as the config echo wrote them (integers stay integers).
std::string number_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_uint64()) return fmt::format("{}", v->as_uint64());
  if (v->is_int64()) return fmt::format("{}", v->as_int64());
  if (v->is_double()) return fmt::format("{:g}", v->as_double());
  return "";
}

// "0s", "0ms", "0" and "" are "not set" in the config echo's duration texts.
bool duration_set(const std::string& text) { return !text.empty() && std::strtod(text.c_str(), nullptr) > 0; }
bool count_set(const std::string& text) { return !text.empty() && text != "0"; }

std::string target_line(const json::object& target) {
  std::string line;
  if (string_at(target, "kind") == "mock") {
    line = "target: embedded mock";
    if (const json::object* mock = object_at(target, "mock")) {
      std::vector<std::string> profile;
      for (const auto& [key, label] : {std::pair{"ttft", "ttft"}, {"itl", "itl"}, {"output_tokens", "output tokens"}}) {
        const std::string value = string_at(*mock, key);
        if (!value.empty()) profile.push_back(fmt::format("{} {}", label, value));
      }
      if (!profile.empty()) line += fmt::format(" ({})", fmt::join(profile, ", "));
    }
  } else {
    const std::string url = string_at(target, "url");
    line = "target: " + (url.empty() ? std::string("unknown") : url);
  }
  const std::string model = string_at(target, "model");
  if (!model.empty()) line += " · model " + model;
  const std::string api = string_at(target, "api");
  if (!api.empty()) line += " · api " + api;
  return line;
}

std::string prompts_line(const json::object& prompts) {
  const std::string kind = string_at(prompts, "kind");
  if (kind == "jsonl") return "prompts: " + string_at(prompts, "file");
  if (kind != "synthetic") return "";
  std::string line = "prompts: synthetic";
  const std::string mean = number_at(prompts, "mean");
  if (!mean.empty()) line += fmt::format(", {} mean {} tokens", string_at(prompts, "distribution"), mean);
  const std::string seed = number_at(prompts, "seed");
  if (!seed.empty()) line += ", seed " + seed;
  return line;
}

}  // namespace

WorkloadHeader workload_header(const result::RunReport& report) {
  WorkloadHeader header;
  if (const json::object* target = object_at(report.config, "target")) header.lines.push_back(target_line(*target));
  if (const json::object* prompts = object_at(report.config, "prompts")) {
    std::string line = prompts_line(*prompts);
    if (!line.empty()) header.lines.push_back(std::move(line));
  }
  const result::Environment& env = report.environment;
  if (env.load_average_start || env.load_average_end) {
    std::vector<std::string> parts;
    if (env.load_average_start) parts.push_back(fmt::format("{:.2f} at start", *env.load_average_start));
    if (env.load_average_end) parts.push_back(fmt::format("{:.2f} at end", *env.load_average_end));
    header.lines.push_back(fmt::format("load average: {} ({} CPUs)", fmt::join(parts, ", "), env.cpu_count));
  }

  if (!env.warning.empty()) header.warnings.push_back(env.warning);
  if (env.cpu_count > 0) {
    const double cpus = env.cpu_count;
    const bool busy_start = env.load_average_start && *env.load_average_start > kBusyStartLoadPerCpu * cpus;
    const bool busy_end = env.load_average_end && *env.load_average_end > kBusyEndLoadPerCpu * cpus;
    if (busy_start || busy_end) {
      header.warnings.push_back(fmt::format(
          "busy machine: load average {} on {} CPUs: latencies include waiting for a CPU",
          busy_start ? fmt::format("{:.2f} at start", *env.load_average_start)
                     : fmt::format("{:.2f} at end", *env.load_average_end),
          env.cpu_count));
    }
  }
  return header;
}

std::string scenario_workload(const result::RunReport& report, const std::string& scenario_name) {
  const json::value* scenarios = report.config.if_contains("scenarios");
  if (scenarios == nullptr || !scenarios->is_array()) return "";
  for (const json::value& s : scenarios->as_array()) {
    if (!s.is_object() || string_at(s.as_object(), "name") != scenario_name) continue;
    const json::object* plan = object_at(s.as_object(), "plan");
    if (plan == nullptr) return "";
    const std::string requests = number_at(*plan, "requests");
    // Multi-turn sessions: a slot is a session (docs/scenarios.md, "Multi-turn sessions"); the
    // echo holds `turns` as text ("4", "uniform(2,6)").
    const std::string turns = string_at(s.as_object(), "turns");
    const std::string unit = turns.empty() || turns == "1" ? " requests" : " sessions of " + turns + " turns";
    const std::string duration = string_at(*plan, "duration");
    std::string stop;
    if (count_set(requests)) stop = requests + unit;
    if (duration_set(duration)) stop += (stop.empty() ? "" : " or ") + duration;
    if (count_set(requests) && duration_set(duration)) stop += ", whichever first";
    const std::string warmup_requests = number_at(*plan, "warmup_requests");
    const std::string warmup_duration = string_at(*plan, "warmup_duration");
    std::string warmup;
    if (count_set(warmup_requests)) warmup = warmup_requests + (unit == " requests" ? unit : std::string(" sessions"));
    if (duration_set(warmup_duration)) warmup += (warmup.empty() ? "" : ", ") + warmup_duration;
    return fmt::format("per step: {} · warm-up: {}", stop.empty() ? "-" : stop, warmup.empty() ? "none" : warmup);
  }
  return "";
}

}  // namespace llmbench::reports
