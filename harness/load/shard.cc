#include "harness/load/shard.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <vector>

#include "common/input_error.h"

namespace llmbench::load {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

constexpr std::uint32_t kMaxShards = 1'000'000;

Shard checked(std::uint64_t index, std::uint64_t count, const std::string& where, const std::string& what) {
  if (count == 0 || count > kMaxShards) {
    throw InputError(where, "", fmt::format("{}: the shard count must be 1 to {}, not {}", what, kMaxShards, count));
  }
  if (index >= count) {
    throw InputError(where, "", fmt::format("{}: shard index {} is not below the count {} (indices are 0-based)",
                                            what, index, count));
  }
  return Shard{static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(count)};
}

struct Source {
  const char* index;
  const char* count;
};
// The order is the documentation's; a launcher sets one pair (srun inside an MPI job may set two,
// which must then agree).
constexpr Source kSources[] = {{"JOB_COMPLETION_INDEX", "LLMBENCH_SHARDS"},
                               {"SLURM_PROCID", "SLURM_NTASKS"},
                               {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"},
                               {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
                               {"PMI_RANK", "PMI_SIZE"}};

}  // namespace

std::uint32_t arrival_owner(std::uint64_t seed, std::uint64_t k, std::uint32_t count) {
  if (count <= 1) return 0;
  return static_cast<std::uint32_t>(splitmix64(splitmix64(seed) ^ k) % count);
}

Shard parse_shard(std::string_view text, const std::string& flag) {
  const auto slash = text.find('/');
  const auto index = slash == std::string_view::npos ? std::nullopt : parse_uint(text.substr(0, slash));
  const auto count = slash == std::string_view::npos ? std::nullopt : parse_uint(text.substr(slash + 1));
  if (!index || !count) {
    throw InputError(flag, "", fmt::format("'{}' is not I/N (shard index I of N, 0-based, e.g. 0/4) or auto", text));
  }
  return checked(*index, *count, flag, fmt::format("'{}'", text));
}

Shard shard_from_environment(const EnvLookup& getenv, const std::string& flag) {
  std::optional<Shard> found;
  std::string found_from;
  for (const Source& source : kSources) {
    const std::optional<std::string> index = getenv(source.index);
    const std::optional<std::string> count = getenv(source.count);
    if (!index && !count) continue;
    const std::string from = fmt::format("{}/{}", source.index, source.count);
    if (!index || !count) {
      throw InputError(flag, "", fmt::format("{} is set but {} is not", index ? source.index : source.count,
                                             index ? source.count : source.index));
    }
    const auto i = parse_uint(*index);
    const auto n = parse_uint(*count);
    if (!i || !n) throw InputError(flag, "", fmt::format("{}={}/{} is not two non-negative integers", from, *index, *count));
    const Shard shard = checked(*i, *n, flag, from);
    // A count of 1 says "one process", not a shard assignment: every task of a Slurm array job
    // also has SLURM_PROCID=0/SLURM_NTASKS=1. It gives way to a source with a real count.
    if (found && !shard.sharded()) continue;
    if (found && !found->sharded()) found.reset();
    if (found && !(*found == shard)) {
      throw InputError(flag, "", fmt::format("conflicting shard sources: {} says {}/{} but {} says {}/{}", found_from,
                                             found->index, found->count, from, shard.index, shard.count));
    }
    found = shard;
    found_from = from;
  }
  if (!found) {
    std::vector<std::string> names;
    for (const Source& source : kSources) names.push_back(fmt::format("{}/{}", source.index, source.count));
    throw InputError(flag, "", fmt::format("no shard index and count in the environment; set one of {}, {}, {}, {}, {} "
                                           "(or pass --shard I/N)",
                                           names[0], names[1], names[2], names[3], names[4]));
  }
  return *found;
}

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before any thread starts
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace llmbench::load
