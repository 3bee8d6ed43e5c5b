#include "mock_provider/prefix_cache.h"


namespace llmbench::mock {

std::uint32_t PrefixCache::lookup_and_insert(const std::vector<std::uint64_t>& blocks) {
  const std::lock_guard lock(mutex_);
  std::uint32_t hits = 0;
  bool leading = true;
  for (const std::uint64_t block : blocks) {
    const auto found = index_.find(block);
    if (found != index_.end()) {
      if (leading) ++hits;
      recency_.splice(recency_.begin(), recency_, found->second);
      continue;
    }
    leading = false;
    recency_.push_front(block);
    index_.emplace(block, recency_.begin());
    if (index_.size() > capacity_) {
      index_.erase(recency_.back());
      recency_.pop_back();
    }
  }
  return hits;
}

namespace {

// FNV-1a over the block's bytes, seeded with the previous block's hash: equal hashes mean an
// equal prefix up to and including this block.
std::uint64_t chain(std::uint64_t previous, std::string_view bytes) {
  std::uint64_t h = previous ^ 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::vector<std::uint64_t> prompt_block_hashes(std::string_view text, std::uint32_t block_tokens) {
  std::vector<std::uint64_t> blocks;
  if (block_tokens == 0) return blocks;
  const std::size_t block_chars = std::size_t{block_tokens} * 4;
  std::uint64_t h = 0;
  for (std::size_t at = 0; at + block_chars <= text.size(); at += block_chars) {
    h = chain(h, text.substr(at, block_chars));
    blocks.push_back(h);
  }
  return blocks;
}

}  // namespace llmbench::mock
