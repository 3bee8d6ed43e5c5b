#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmbench::result {

struct RunReport;

// One shard of a distributed run as its report records it (docs/distributed.md).
struct ShardRecord {
  std::uint32_t index = 0;     // 0-based, of DistributedRun::shard_count
  std::string host;            // where it ran
  std::string planned_start;   // the --start-at instant, RFC 3339; empty when none was given
  std::string actual_start;    // wall clock (RFC 3339 UTC, ns) when its load began
  std::uint64_t requests = 0;  // measured requests it sent (ok + failed), every step
  double requests_per_s = 0;   // of them, successful requests per measured second

  friend bool operator==(const ShardRecord&, const ShardRecord&) = default;
};

// Present in the report of a sharded run (`llmbench run --shard`) and of their merge. The
// configuration hash every shard must share is the report's own config_hash.
struct DistributedRun {
  std::string run_id;           // --run-id, or derived from the configuration hash and --start-at
  std::uint32_t shard_count = 1;
  std::vector<ShardRecord> shards;  // a shard's report: itself; a merged report: every shard, by index
  bool partial = false;             // merged without some shards (--allow-partial)
  // Merged: latest minus earliest actual_start of the shards, in ms.
  std::optional<double> start_skew_ms;

  friend bool operator==(const DistributedRun&, const DistributedRun&) = default;
};

// The default run id: "run-" and 12 hex digits of a hash of the configuration hash and the
// planned start, so every shard given the same configuration and --start-at agrees.
std::string default_run_id(const std::string& config_hash, const std::string& planned_start);

// Fills a shard's own record's requests and requests_per_s from its report's steps.
void record_shard_throughput(RunReport& report);

struct ShardMergeOptions {
  std::optional<std::uint32_t> expect_shards;  // --expect-shards N
  bool allow_partial = false;                  // --allow-partial
};

// `llmbench merge` of shard reports: refuses inputs of different run ids or shard counts, a
// shard present twice, and, unless allow_partial, a missing shard; an input without shard
// information mixed with sharded ones; then merges (merge_reports: histograms, counts and time
// series add) and records every shard, the start skew and whether the result is partial. Inputs
// that are merged reports themselves contribute their shards, so merging is associative.
// Reports without shard information merge as before (merge_reports) unless expect_shards is set.
// Throws llmbench::InputError naming the source.
RunReport merge_shard_reports(const std::vector<RunReport>& reports, const std::vector<std::string>& source_names,
                              const ShardMergeOptions& options);

}  // namespace llmbench::result
