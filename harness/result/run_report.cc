#include "harness/result/run_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <tuple>

#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "harness/result/workload_config.h"

namespace llmbench::result {

Efficiency StepResult::efficiency() const {
  Efficiency e;
  const metrics::StepTiming& timing = metrics.timing;
  if (reference.e2e_ms && *reference.e2e_ms > 0) {
    // The ideal is what a perfectly efficient client would achieve against a server of latency L:
    // C / L users' worth in closed loop, never more than the offered rate in open loop.
    std::optional<double> ideal;
    const metrics::LatencyHistogram& server_queue = metrics.distributions.server_queue;
    const double queue_ms = server_queue.empty() ? 0.0 : server_queue.mean() / 1e6;
    if (timing.concurrency > 0) ideal = timing.concurrency / ((*reference.e2e_ms + queue_ms) / 1e3);
    if (timing.target_rate_rps)
      ideal = ideal ? std::min(*ideal, *timing.target_rate_rps) : *timing.target_rate_rps;
    if (ideal && *ideal > 0) {
      e.ideal_requests_per_s = *ideal;
      e.throughput_ratio = metrics.throughput.requests_per_s / *ideal;
    }
  }
  // The server's own queue is not harness overhead: when it reported it, leave it out.
  const metrics::LatencyHistogram& ttft =
      metrics.distributions.ttft_client.empty() ? metrics.distributions.ttft : metrics.distributions.ttft_client;
  if (reference.ttft_ms && !ttft.empty()) {
    e.ttft_overhead_p50_ms = ttft.percentile(50) / 1e6 - *reference.ttft_ms;
    e.ttft_overhead_p99_ms = ttft.percentile(99) / 1e6 - *reference.ttft_ms;
  }
  return e;
}

namespace {

using StepKey = std::tuple<std::string, double, int>;
StepKey key_of(const StepResult& s) { return {s.sweep_parameter, s.sweep_value, s.repetition}; }

std::string describe(const StepKey& k) {
  if (std::get<0>(k).empty()) return fmt::format("repetition {}", std::get<2>(k));
  return fmt::format("{}={:g} repetition {}", std::get<0>(k), std::get<1>(k), std::get<2>(k));
}

void merge_step(StepResult& into, const StepResult& from, const std::string& source,
                const std::string& where) {
  if (!(into.metrics.slo == from.metrics.slo))
    throw InputError(source, where + ".slo", "differs between the reports");
  into.metrics.merge(from.metrics);
  into.schedule_lag.merge(from.schedule_lag);
  into.cap_wait.merge(from.cap_wait);
  // Sessions belong whole to one shard: their counts and histograms add.
  if (from.sessions) {
    if (!into.sessions) into.sessions.emplace();
    into.sessions->merge(*from.sessions);
  }
  // Processes measuring one target side by side scrape the same server: its series do not add.
  // The first report's are kept (docs/report-schema.md, "Merging").
  if (!into.server_metrics) into.server_metrics = from.server_metrics;
  into.interrupted = into.interrupted || from.interrupted;
  if (into.stop_reason != from.stop_reason) into.stop_reason = StopReason::mixed;
  if (!from.started_at.empty() && (into.started_at.empty() || from.started_at < into.started_at)) {
    into.started_at = from.started_at;
  }
}

}  // namespace

RunReport merge_reports(const std::vector<RunReport>& reports, const std::vector<std::string>& source_names) {
  if (reports.empty()) throw InputError("merge: no reports given");
  auto name_of = [&](std::size_t i) {
    return i < source_names.size() ? source_names[i] : fmt::format("report {}", i);
  };
  // Refused before anything is combined: another workload, or the same report twice, would give
  // a merged report that looks like a bigger measurement of one workload.
  const std::string hash = config_hash(reports.front().config);
  std::vector<boost::json::value> seen;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    if (r > 0 && config_hash(reports[r].config) != hash) {
      const auto differences = config_differences(reports.front().config, reports[r].config, 4);
      throw InputError(name_of(r), "config",
                       fmt::format("measured a different workload than {} (config_hash {} vs {}){}{}: not "
                                   "shards of one suite",
                                   name_of(0), config_hash(reports[r].config), hash,
                                   differences.empty() ? "" : ": ", fmt::join(differences, "; ")));
    }
    boost::json::value json = to_json(reports[r]);
    for (std::size_t earlier = 0; earlier < seen.size(); ++earlier) {
      if (seen[earlier] == json) {
        throw InputError(name_of(r), "",
                         fmt::format("is the same report as {}: merging it would count its requests twice",
                                     name_of(earlier)));
      }
    }
    seen.push_back(std::move(json));
  }

  auto partial_hint = [&](std::size_t r) {
    return reports[r].interrupted ? " (it was interrupted: partial results)" : "";
  };
  RunReport merged = reports.front();
  std::vector<std::string> interrupted_inputs;
  if (merged.interrupted) interrupted_inputs.push_back(name_of(0));
  std::vector<std::string> hosts{merged.environment.host};
  for (std::size_t r = 1; r < reports.size(); ++r) {
    const RunReport& other = reports[r];
    const std::string source = name_of(r);
    if (other.interrupted) interrupted_inputs.push_back(source);
    if (other.scenarios.size() != merged.scenarios.size()) {
      throw InputError(
          source, "scenarios",
          fmt::format("has {} scenarios but {} has {}: not the same suite{}{}", other.scenarios.size(),
                      name_of(0), merged.scenarios.size(), partial_hint(r), partial_hint(0)));
    }
    for (std::size_t s = 0; s < other.scenarios.size(); ++s) {
      const ScenarioResult& theirs = other.scenarios[s];
      auto mine = std::find_if(merged.scenarios.begin(), merged.scenarios.end(),
                               [&](const ScenarioResult& x) { return x.name == theirs.name; });
      const std::string where = fmt::format("scenarios[{}]", s);
      if (mine == merged.scenarios.end()) {
        throw InputError(source, where + ".name",
                         fmt::format("scenario '{}' is not in {}", theirs.name, name_of(0)));
      }
      if (mine->steps.size() != theirs.steps.size()) {
        throw InputError(
            source, where + ".steps",
            fmt::format("scenario '{}' has {} steps, {} has {}{}{}", theirs.name, theirs.steps.size(),
                        name_of(0), mine->steps.size(), partial_hint(r), partial_hint(0)));
      }
      for (std::size_t k = 0; k < theirs.steps.size(); ++k) {
        const StepKey key = key_of(theirs.steps[k]);
        auto step = std::find_if(mine->steps.begin(), mine->steps.end(),
                                 [&](const StepResult& x) { return key_of(x) == key; });
        if (step == mine->steps.end()) {
          throw InputError(
              source, fmt::format("{}.steps[{}]", where, k),
              fmt::format("step {} of scenario '{}' is not in {}", describe(key), theirs.name, name_of(0)));
        }
        merge_step(*step, theirs.steps[k], source, fmt::format("{}.steps[{}]", where, k));
      }
    }
    merged.interrupted = merged.interrupted || other.interrupted;
    if (!other.started_at.empty() && other.started_at < merged.started_at)
      merged.started_at = other.started_at;
    if (std::find(hosts.begin(), hosts.end(), other.environment.host) == hosts.end()) {
      hosts.push_back(other.environment.host);
    }
  }
  merged.environment.host = fmt::format("{}", fmt::join(hosts, ","));
  merged.merged_from.clear();
  for (std::size_t r = 0; r < reports.size(); ++r) merged.merged_from.push_back(name_of(r));
  merged.interrupted_inputs = std::move(interrupted_inputs);
  merged.interrupted = merged.interrupted || !merged.interrupted_inputs.empty();
  return merged;
}

std::string wall_clock_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace llmbench::result
