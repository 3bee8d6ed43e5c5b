#include "harness/result/distributed_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "common/input_error.h"
#include "common/wall_time.h"
#include "harness/result/run_report.h"

namespace llmbench::result {

namespace {

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string describe(const DistributedRun& d) { return fmt::format("run '{}' of {} shards", d.run_id, d.shard_count); }

}  // namespace

std::string default_run_id(const std::string& config_hash, const std::string& planned_start) {
  return fmt::format("run-{:012x}", fnv1a64(config_hash + "|" + planned_start) >> 16);
}

void record_shard_throughput(RunReport& report) {
  if (!report.distributed || report.distributed->shards.size() != 1) return;
  std::uint64_t requests = 0, ok = 0;
  double seconds = 0;
  for (const ScenarioResult& scenario : report.scenarios) {
    for (const StepResult& step : scenario.steps) {
      requests += step.metrics.counts.total;
      ok += step.metrics.counts.ok;
      seconds += step.metrics.timing.duration_s;
    }
  }
  ShardRecord& shard = report.distributed->shards.front();
  shard.requests = requests;
  shard.requests_per_s = seconds > 0 ? static_cast<double>(ok) / seconds : 0;
}

RunReport merge_shard_reports(const std::vector<RunReport>& reports, const std::vector<std::string>& source_names,
                              const ShardMergeOptions& options) {
  if (reports.empty()) throw InputError("merge: no reports given");
  auto name_of = [&](std::size_t i) {
    return i < source_names.size() ? source_names[i] : fmt::format("report {}", i);
  };
  const auto first = std::find_if(reports.begin(), reports.end(), [](const RunReport& r) { return r.distributed; });
  if (first == reports.end()) {
    if (options.expect_shards) {
      throw InputError(name_of(0), "distributed",
                       "has no shard information (run with --shard?): --expect-shards merges shard reports");
    }
    return merge_reports(reports, source_names);
  }
  const std::size_t f = static_cast<std::size_t>(first - reports.begin());
  const DistributedRun& run = *first->distributed;
  std::map<std::uint32_t, std::size_t> source_of;  // shard index -> input
  std::vector<ShardRecord> shards;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const std::optional<DistributedRun>& d = reports[r].distributed;
    if (!d) {
      throw InputError(name_of(r), "distributed",
                       fmt::format("has no shard information but {} is a shard of {}: not shards of one run",
                                   name_of(f), describe(run)));
    }
    if (d->run_id != run.run_id) {
      throw InputError(name_of(r), "distributed.run_id",
                       fmt::format("is '{}' but {} has '{}': not shards of one run", d->run_id, name_of(f),
                                   run.run_id));
    }
    if (d->shard_count != run.shard_count) {
      throw InputError(name_of(r), "distributed.shard_count",
                       fmt::format("is {} but {} has {}: not shards of one run", d->shard_count, name_of(f),
                                   run.shard_count));
    }
    for (const ShardRecord& shard : d->shards) {
      if (const auto [it, fresh] = source_of.emplace(shard.index, r); !fresh) {
        throw InputError(name_of(r), "distributed.shards",
                         fmt::format("shard {}/{} is also in {}: merging it twice would count its requests twice",
                                     shard.index, run.shard_count, name_of(it->second)));
      }
      shards.push_back(shard);
    }
  }
  if (options.expect_shards && *options.expect_shards != run.shard_count) {
    throw InputError("--expect-shards", "",
                     fmt::format("{}, but {} is a shard of {}", *options.expect_shards, name_of(f), describe(run)));
  }
  std::vector<std::uint32_t> missing;
  for (std::uint32_t i = 0; i < run.shard_count; ++i) {
    if (!source_of.contains(i)) missing.push_back(i);
  }
  if (!missing.empty() && !options.allow_partial) {
    throw InputError("merge", "",
                     fmt::format("{} of {} shards missing (index {}) of {}: merge them too, or pass --allow-partial to "
                                 "mark the result partial",
                                 missing.size(), run.shard_count, fmt::join(missing, ", "), describe(run)));
  }

  RunReport merged = merge_reports(reports, source_names);
  std::sort(shards.begin(), shards.end(), [](const ShardRecord& a, const ShardRecord& b) { return a.index < b.index; });
  DistributedRun out;
  out.run_id = run.run_id;
  out.shard_count = run.shard_count;
  out.partial = !missing.empty();
  std::optional<std::int64_t> earliest, latest;
  for (const ShardRecord& shard : shards) {
    const std::optional<std::int64_t> t = parse_rfc3339_ns(shard.actual_start);
    if (!t) continue;
    earliest = std::min(earliest.value_or(*t), *t);
    latest = std::max(latest.value_or(*t), *t);
  }
  if (earliest) out.start_skew_ms = static_cast<double>(*latest - *earliest) / 1e6;
  out.shards = std::move(shards);
  merged.distributed = std::move(out);
  return merged;
}

}  // namespace llmbench::result
