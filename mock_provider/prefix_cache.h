#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>


namespace llmbench::mock {

// The mock's prefix cache (`prefix_cache_blocks`), as vLLM's automatic prefix caching sees a
// prompt: cut into blocks of `block_tokens` (4 characters a token, the mock's estimate), each
// block named by a hash chained over every block before it, so a block is reused only after an
// identical prefix. A request's leading blocks already cached skip prefill; all of its blocks
// then become most recently used, the least recently used ones leaving when full. Thread-safe.
class PrefixCache {
 public:
  explicit PrefixCache(std::uint64_t capacity_blocks) : capacity_(capacity_blocks) {}

  // How many of `blocks` (chained hashes, in prompt order) were cached, from the first on;
  // then caches them all.
  std::uint32_t lookup_and_insert(const std::vector<std::uint64_t>& blocks);

 private:
  std::uint64_t capacity_;
  std::mutex mutex_;
  std::list<std::uint64_t> recency_;  // front: most recently used
  std::unordered_map<std::uint64_t, std::list<std::uint64_t>::iterator> index_;
};

// The chained hashes of a prompt's text (its parts in order, as parse_generation_request reads
// them) in whole blocks of `block_tokens` x 4 characters; the last partial block is never
// cached, as in vLLM.
std::vector<std::uint64_t> prompt_block_hashes(std::string_view text, std::uint32_t block_tokens);

}  // namespace llmbench::mock
