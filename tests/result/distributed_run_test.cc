// merge_shard_reports (harness/result/distributed_run.h): shard reports of one run merge into
// one with every shard and the start skew; mismatched, duplicate and missing shards are refused
// (missing ones allowed, and marked partial, with allow_partial); merging merged reports works.
#include "harness/result/distributed_run.h"

#include <gtest/gtest.h>

#include <string>

#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "harness/result/run_report.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::result {
namespace {

RunReport shard(std::uint32_t index, std::uint32_t count, std::string run_id = "run-a") {
  RunReport r = testing::crafted_report(1.0, index);
  DistributedRun d;
  d.run_id = std::move(run_id);
  d.shard_count = count;
  ShardRecord s;
  s.index = index;
  s.host = "host" + std::to_string(index);
  s.planned_start = "2026-01-02T03:04:05Z";
  s.actual_start = "2026-01-02T03:04:05.00" + std::to_string(index) + "000000Z";  // index ms late
  d.shards.push_back(s);
  r.distributed = d;
  record_shard_throughput(r);
  return r;
}

std::string error_of(const std::vector<RunReport>& reports, const ShardMergeOptions& options) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < reports.size(); ++i) names.push_back("s" + std::to_string(i) + ".json");
  try {
    merge_shard_reports(reports, names, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "merged";
}

std::uint64_t total_requests(const RunReport& r) {
  std::uint64_t n = 0;
  for (const auto& s : r.scenarios)
    for (const auto& step : s.steps) n += step.metrics.counts.total;
  return n;
}

TEST(DistributedRunTest, ShardsMergeWithEveryShardAndTheStartSkew) {
  const std::vector<RunReport> parts = {shard(2, 4), shard(0, 4), shard(3, 4), shard(1, 4)};
  const RunReport merged = merge_shard_reports(parts, {"a", "b", "c", "d"}, {.expect_shards = 4});
  ASSERT_TRUE(merged.distributed);
  EXPECT_EQ(merged.distributed->run_id, "run-a");
  EXPECT_FALSE(merged.distributed->partial);
  ASSERT_EQ(merged.distributed->shards.size(), 4u);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(merged.distributed->shards[i].index, i);
  EXPECT_DOUBLE_EQ(*merged.distributed->start_skew_ms, 3.0);
  std::uint64_t sum = 0;
  for (const RunReport& p : parts) {
    sum += total_requests(p);
    EXPECT_EQ(p.distributed->shards[0].requests, total_requests(p));
    EXPECT_GT(p.distributed->shards[0].requests_per_s, 0);
  }
  EXPECT_EQ(total_requests(merged), sum);
  // Survives report.json.
  EXPECT_EQ(report_from_json(to_json_text(merged), "m").distributed, merged.distributed);
}

TEST(DistributedRunTest, MergingMergedReportsIsAssociative) {
  const RunReport s0 = shard(0, 4), s1 = shard(1, 4), s2 = shard(2, 4), s3 = shard(3, 4);
  const ShardMergeOptions partial{.expect_shards = std::nullopt, .allow_partial = true};
  const RunReport left = merge_shard_reports({s0, s1}, {"s0", "s1"}, partial);
  const RunReport right = merge_shard_reports({s2, s3}, {"s2", "s3"}, partial);
  EXPECT_TRUE(left.distributed->partial);
  const RunReport nested = merge_shard_reports({left, right}, {"left", "right"}, {.expect_shards = 4});
  const RunReport flat = merge_shard_reports({s0, s1, s2, s3}, {"s0", "s1", "s2", "s3"}, {.expect_shards = 4});
  EXPECT_FALSE(nested.distributed->partial);
  EXPECT_EQ(nested.distributed, flat.distributed);
  EXPECT_EQ(nested.scenarios.size(), flat.scenarios.size());
  for (std::size_t s = 0; s < flat.scenarios.size(); ++s) {
    for (std::size_t k = 0; k < flat.scenarios[s].steps.size(); ++k) {
      const auto& a = nested.scenarios[s].steps[k].metrics;
      const auto& b = flat.scenarios[s].steps[k].metrics;
      EXPECT_EQ(a.counts.total, b.counts.total);
      // Bins add exactly (the mean and m2 are floating-point sums: equal up to rounding).
      for (metrics::LatencyHistogram metrics::Distributions::*h : {&metrics::Distributions::e2e, &metrics::Distributions::ttft}) {
        EXPECT_EQ((a.distributions.*h).to_json().at("counts"), (b.distributions.*h).to_json().at("counts"));
        EXPECT_EQ((a.distributions.*h).percentile(99), (b.distributions.*h).percentile(99));
      }
    }
  }
}

TEST(DistributedRunTest, RefusesOtherRunsDuplicatesAndMissingShards) {
  const std::string other_run = error_of({shard(0, 2), shard(1, 2, "run-b")}, {});
  EXPECT_NE(other_run.find("run_id"), std::string::npos) << other_run;
  EXPECT_NE(other_run.find("run-b"), std::string::npos) << other_run;
  const std::string other_count = error_of({shard(0, 2), shard(1, 3)}, {});
  EXPECT_NE(other_count.find("shard_count"), std::string::npos) << other_count;
  RunReport again = shard(1, 2);
  again.environment.host = "elsewhere";  // not byte-identical: caught by the shard index
  const std::string duplicate = error_of({shard(0, 2), shard(1, 2), again}, {.expect_shards = std::nullopt, .allow_partial = true});
  EXPECT_NE(duplicate.find("shard 1/2 is also in s1.json"), std::string::npos) << duplicate;
  const std::string missing = error_of({shard(0, 4), shard(2, 4)}, {.expect_shards = 4});
  EXPECT_NE(missing.find("index 1, 3"), std::string::npos) << missing;
  EXPECT_NE(missing.find("--allow-partial"), std::string::npos) << missing;
  const std::string expected = error_of({shard(0, 2), shard(1, 2)}, {.expect_shards = 4});
  EXPECT_NE(expected.find("--expect-shards"), std::string::npos) << expected;
  const std::string unsharded = error_of({shard(0, 2), testing::crafted_report(1.0, 9)}, {.expect_shards = std::nullopt, .allow_partial = true});
  EXPECT_NE(unsharded.find("no shard information"), std::string::npos) << unsharded;
  RunReport other_config = shard(1, 2);
  other_config.config["scenarios"] = boost::json::array{boost::json::object{{"name", "x"}}};
  const std::string config = error_of({shard(0, 2), other_config}, {});
  EXPECT_NE(config.find("config_hash"), std::string::npos) << config;
}

TEST(DistributedRunTest, AllowPartialMarksTheResultPartial) {
  const RunReport merged =
      merge_shard_reports({shard(0, 4), shard(1, 4), shard(3, 4)}, {"a", "b", "d"}, {.expect_shards = std::nullopt, .allow_partial = true});
  EXPECT_TRUE(merged.distributed->partial);
  EXPECT_EQ(merged.distributed->shards.size(), 3u);
}

TEST(DistributedRunTest, DefaultRunIdDependsOnTheConfigurationAndTheStart) {
  const std::string id = default_run_id("fnv1a64:0123", "2026-01-02T03:04:05Z");
  EXPECT_EQ(id, default_run_id("fnv1a64:0123", "2026-01-02T03:04:05Z"));
  EXPECT_EQ(id.rfind("run-", 0), 0u);
  EXPECT_NE(id, default_run_id("fnv1a64:0124", "2026-01-02T03:04:05Z"));
  EXPECT_NE(id, default_run_id("fnv1a64:0123", "2026-01-02T03:04:06Z"));
}

}  // namespace
}  // namespace llmbench::result
