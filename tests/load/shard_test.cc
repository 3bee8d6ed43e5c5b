// Sharding (harness/load/shard.h, the Schedule's thinning and user split): N shard schedules
// together are exactly the one-process schedule, each shard's arrivals stay Poisson, and the
// closed-loop users and request counts partition the global ones.
#include "harness/load/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "common/input_error.h"
#include "harness/load/schedule.h"
#include "tests/load/fake_time_source.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;

// (global index, intended start offset) of every slot a schedule hands out, claimed without the
// clock moving (the schedule alone decides the times).
std::vector<std::pair<std::uint64_t, std::int64_t>> slots_of(LoadPlan plan, Shard shard) {
  plan.shard = shard;
  FakeTimeSource clock;
  Schedule schedule(plan, clock);
  std::vector<std::pair<std::uint64_t, std::int64_t>> out;
  while (auto slot = schedule.claim()) out.emplace_back(slot->index, slot->intended_start_ns - schedule.start_ns());
  return out;
}

LoadPlan poisson_plan() {
  LoadPlan plan;
  plan.model = LoadModel::open_loop;
  plan.arrival = ArrivalKind::poisson;
  plan.rate = 500;
  plan.seed = 42;
  plan.concurrency = 0;
  return plan;
}

TEST(ShardTest, OpenLoopShardSchedulesTogetherAreTheOneProcessSchedule) {
  for (const bool by_count : {false, true}) {
    LoadPlan plan = poisson_plan();
    if (by_count) {
      plan.requests = 997;
      plan.warmup_requests = 5;
    } else {
      plan.duration = 3s;
      plan.ramp_up = 500ms;
    }
    const auto whole = slots_of(plan, Shard{});
    ASSERT_GT(whole.size(), 900u);
    for (const std::uint32_t n : {2u, 3u, 4u, 7u}) {
      std::vector<std::pair<std::uint64_t, std::int64_t>> united;
      for (std::uint32_t i = 0; i < n; ++i) {
        const auto part = slots_of(plan, Shard{i, n});
        EXPECT_GT(part.size(), whole.size() / n / 2) << i << "/" << n;  // every shard has its share
        for (const auto& slot : part) EXPECT_EQ(arrival_owner(plan.seed, slot.first, n), i);
        united.insert(united.end(), part.begin(), part.end());
      }
      std::sort(united.begin(), united.end());
      EXPECT_EQ(united, whole) << n << " shards, " << (by_count ? "requests" : "duration");
    }
  }
}

// Kolmogorov-Smirnov: each shard's inter-arrival gaps against the exponential distribution of
// mean N / rate. A fixed seed makes the statistic a fixed number; 1.63 / sqrt(n) is the 1 %
// critical value, so a non-Poisson split (every N-th arrival: Erlang gaps) fails by far.
double ks_statistic(std::vector<double> gaps, double rate) {
  std::sort(gaps.begin(), gaps.end());
  double d = 0;
  const double n = static_cast<double>(gaps.size());
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    const double cdf = 1 - std::exp(-rate * gaps[i]);
    d = std::max({d, cdf - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - cdf});
  }
  return d;
}

TEST(ShardTest, EachShardsInterArrivalTimesAreExponential) {
  LoadPlan plan = poisson_plan();
  plan.rate = 2000;
  plan.duration = 10s;
  constexpr std::uint32_t kShards = 4;
  for (std::uint32_t i = 0; i < kShards; ++i) {
    const auto part = slots_of(plan, Shard{i, kShards});
    std::vector<double> gaps;
    for (std::size_t k = 1; k < part.size(); ++k) gaps.push_back((part[k].second - part[k - 1].second) / 1e9);
    ASSERT_GT(gaps.size(), 4000u);
    const double d = ks_statistic(gaps, plan.rate / kShards);
    EXPECT_LT(d, 1.63 / std::sqrt(static_cast<double>(gaps.size()))) << "shard " << i;
  }
  // The check can fail: keeping every 4th arrival gives Erlang-4 gaps, far from exponential.
  const auto whole = slots_of(plan, Shard{});
  std::vector<double> erlang;
  for (std::size_t k = 4; k < whole.size(); k += 4) erlang.push_back((whole[k].second - whole[k - 4].second) / 1e9);
  EXPECT_GT(ks_statistic(erlang, plan.rate / kShards), 1.63 / std::sqrt(static_cast<double>(erlang.size())));
}

TEST(ShardTest, ClosedLoopUsersAndRequestCountsPartitionTheGlobalOnes) {
  for (const std::uint32_t users : {4u, 10u, 33u}) {
    for (std::uint32_t n = 1; n <= 4; ++n) {
      LoadPlan plan;
      plan.concurrency = users;
      plan.requests = 101;
      plan.warmup_requests = 7;
      std::map<std::uint32_t, std::uint32_t> owner;
      std::uint64_t measured = 0, warm = 0;
      for (std::uint32_t i = 0; i < n; ++i) {
        plan.shard = Shard{i, n};
        FakeTimeSource clock;
        Schedule schedule(plan, clock);
        for (std::uint32_t u = 0; u < users; ++u) {
          if (schedule.runs_user(u)) {
            EXPECT_TRUE(owner.emplace(u, i).second) << "user " << u << " runs twice";
          }
        }
        while (auto slot = schedule.claim()) (slot->warmup ? warm : measured)++;
        EXPECT_EQ(schedule.planned_measured_slots(), share_of(101, plan.shard));
      }
      EXPECT_EQ(owner.size(), users) << n << " shards";  // every user runs exactly once
      EXPECT_EQ(measured, 101u);
      EXPECT_EQ(warm, 7u);
    }
  }
}

TEST(ShardTest, ClosedLoopRequestIndicesDependOnTheGlobalUserOnly) {
  // User u's j-th request has the same index (and prompt) however many shards there are, and
  // no two (user, j) share one.
  std::set<std::uint64_t> seen;
  for (std::uint32_t u = 0; u < 6; ++u) {
    for (std::uint64_t j = 0; j < 50; ++j) EXPECT_TRUE(seen.insert(user_request_index(u, j, 6)).second);
  }
  EXPECT_EQ(*seen.rbegin(), 299u);
}

TEST(ShardTest, SharesAddUpExactly) {
  for (const std::uint64_t total : {0ull, 1ull, 5ull, 1000ull, 1001ull}) {
    for (std::uint32_t n = 1; n <= 9; ++n) {
      std::uint64_t sum = 0;
      for (std::uint32_t i = 0; i < n; ++i) sum += share_of(total, Shard{i, n});
      EXPECT_EQ(sum, total);
    }
  }
}

TEST(ShardTest, TooFewUsersForTheShardsIsRejected) {
  LoadPlan plan;
  plan.concurrency = 3;
  plan.requests = 10;
  plan.shard = Shard{0, 4};
  FakeTimeSource clock;
  EXPECT_THROW(Schedule(plan, clock), std::invalid_argument);
}

TEST(ShardTest, ParsesIndexSlashCount) {
  EXPECT_EQ(parse_shard("0/4"), (Shard{0, 4}));
  EXPECT_EQ(parse_shard("3/4"), (Shard{3, 4}));
  for (const char* bad : {"4/4", "1/0", "x/4", "1", "1/", "/4", "-1/4", "1/4/5"}) {
    EXPECT_THROW(parse_shard(bad), InputError) << bad;
  }
  try {
    parse_shard("4/4");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("0-based"), std::string::npos) << e.what();
  }
}

EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(const EnvLookup& lookup) {
  try {
    shard_from_environment(lookup);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ShardTest, AutoReadsEveryLauncher) {
  EXPECT_EQ(shard_from_environment(env({{"JOB_COMPLETION_INDEX", "2"}, {"LLMBENCH_SHARDS", "5"}})), (Shard{2, 5}));
  EXPECT_EQ(shard_from_environment(env({{"SLURM_PROCID", "1"}, {"SLURM_NTASKS", "3"}})), (Shard{1, 3}));
  EXPECT_EQ(shard_from_environment(env({{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_COUNT", "8"}})),
            (Shard{7, 8}));
  EXPECT_EQ(shard_from_environment(env({{"OMPI_COMM_WORLD_RANK", "0"}, {"OMPI_COMM_WORLD_SIZE", "4"}})),
            (Shard{0, 4}));
  EXPECT_EQ(shard_from_environment(env({{"PMI_RANK", "3"}, {"PMI_SIZE", "4"}})), (Shard{3, 4}));
  // Agreeing sources (srun launching an MPI program sets both) and a Slurm array task's
  // SLURM_PROCID=0/SLURM_NTASKS=1, which says "one process", not a shard.
  EXPECT_EQ(shard_from_environment(env({{"SLURM_PROCID", "2"}, {"SLURM_NTASKS", "4"}, {"PMI_RANK", "2"},
                                        {"PMI_SIZE", "4"}})),
            (Shard{2, 4}));
  EXPECT_EQ(shard_from_environment(env({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"}, {"SLURM_ARRAY_TASK_ID", "5"},
                                        {"SLURM_ARRAY_TASK_COUNT", "6"}})),
            (Shard{5, 6}));
}

TEST(ShardTest, AutoRefusesConflictingIncompleteAndMissingSources) {
  const std::string conflict =
      error_of(env({{"SLURM_PROCID", "1"}, {"SLURM_NTASKS", "4"}, {"OMPI_COMM_WORLD_RANK", "2"},
                    {"OMPI_COMM_WORLD_SIZE", "4"}}));
  EXPECT_NE(conflict.find("conflicting"), std::string::npos) << conflict;
  EXPECT_NE(conflict.find("SLURM_PROCID"), std::string::npos) << conflict;
  EXPECT_NE(conflict.find("OMPI_COMM_WORLD_RANK"), std::string::npos) << conflict;
  // Kubernetes sets no count: without LLMBENCH_SHARDS the index alone is an error naming it.
  const std::string k8s = error_of(env({{"JOB_COMPLETION_INDEX", "1"}}));
  EXPECT_NE(k8s.find("LLMBENCH_SHARDS"), std::string::npos) << k8s;
  EXPECT_NE(error_of(env({{"PMI_RANK", "4"}, {"PMI_SIZE", "4"}})).find("not below"), std::string::npos);
  EXPECT_NE(error_of(env({{"PMI_RANK", "a"}, {"PMI_SIZE", "4"}})).find("PMI_RANK"), std::string::npos);
  const std::string none = error_of(env({}));
  for (const char* name : {"JOB_COMPLETION_INDEX", "LLMBENCH_SHARDS", "SLURM_PROCID", "SLURM_NTASKS",
                           "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "OMPI_COMM_WORLD_RANK",
                           "OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE"}) {
    EXPECT_NE(none.find(name), std::string::npos) << name << " in: " << none;
  }
}

}  // namespace
}  // namespace llmbench::load
