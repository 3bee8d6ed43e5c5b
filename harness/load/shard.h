#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace llmbench::load {

// Which part of a run's load this process offers (docs/distributed.md). Rates, concurrencies and
// request counts in a scenario are global totals; every shard derives its part from them and the
// seed alone, so N independent processes together offer exactly the one-process load.
struct Shard {
  std::uint32_t index = 0;  // 0-based
  std::uint32_t count = 1;

  bool sharded() const { return count > 1; }
  friend bool operator==(const Shard&, const Shard&) = default;
};

// Open loop (thinning): the shard that keeps arrival `k` (0-based) of the global schedule seeded
// `seed`. A SplitMix64 hash of (seed, k), so each shard's arrivals are an independent random
// thinning (a Poisson process stays Poisson, at rate / count) and the union is the whole schedule.
std::uint32_t arrival_owner(std::uint64_t seed, std::uint64_t k, std::uint32_t count);

// Closed loop: virtual users are numbered globally; user `u` runs on shard u mod count.
constexpr std::uint32_t user_owner(std::uint32_t user, std::uint32_t count) { return count == 0 ? 0 : user % count; }

// Shard `shard`'s part of a global total split exactly: total / count, plus one for the first
// total mod count shards. The parts of every shard add up to `total`.
constexpr std::uint64_t share_of(std::uint64_t total, Shard shard) {
  if (shard.count <= 1) return total;
  return total / shard.count + (shard.index < total % shard.count ? 1 : 0);
}

// The request index (prompt index) of closed-loop user `user`'s `j`-th request (0-based) among
// `users`: j * users + user. A function of the global user number only, so the prompts sent do
// not depend on how many shards run the users.
constexpr std::uint64_t user_request_index(std::uint32_t user, std::uint64_t j, std::uint32_t users) {
  return j * users + user;
}

// "I/N" (0 <= I < N). Throws llmbench::InputError naming `flag`.
Shard parse_shard(std::string_view text, const std::string& flag = "--shard");

// `--shard auto`: the index and count from the launcher's environment, read through `getenv`
// (nullopt when unset): JOB_COMPLETION_INDEX with LLMBENCH_SHARDS (Kubernetes Indexed Job),
// SLURM_PROCID/SLURM_NTASKS, SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT,
// OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE, PMI_RANK/PMI_SIZE. Sources with a count above 1 that
// disagree are an error naming both (a count of 1 gives way to any other source); none found is an
// error naming every variable. Throws llmbench::InputError.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
Shard shard_from_environment(const EnvLookup& getenv, const std::string& flag = "--shard auto");

// The process environment as an EnvLookup.
std::optional<std::string> process_env(const char* name);

}  // namespace llmbench::load
