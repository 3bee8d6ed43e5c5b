#include "harness/load/prompt_summary.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "harness/client/error_text.h"
#include "harness/load/driver.h"

namespace llmbench::load {

namespace {

std::uint32_t nearest_rank(const std::vector<std::uint32_t>& sorted, double percent) {
  const auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  // boost::hash_combine's 64-bit mixing: order-sensitive, so a block's hash covers its chain.
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 12) + (h >> 4));
}

// The chained hashes of a prompt's word blocks (a trailing partial block is not a block) and
// its word count.
std::vector<std::uint64_t> block_chain(const harness::ChatRequest& request, std::uint32_t block_words,
                                       std::uint64_t& words) {
  std::vector<std::uint64_t> chain;
  std::uint64_t h = 0xcbf29ce484222325ULL, block = 0;
  std::uint32_t in_block = 0;
  for (const auto& message : request.messages) {
    h = mix(h, std::hash<std::string_view>{}(message.role));
    const std::string_view text = message.content;
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      const std::size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      if (i == start) break;
      ++words;
      block = mix(block, std::hash<std::string_view>{}(text.substr(start, i - start)));
      if (++in_block == block_words) {
        h = mix(h, block);
        chain.push_back(h);
        block = 0;
        in_block = 0;
      }
    }
  }
  return chain;
}

}  // namespace

LengthStats length_stats(std::vector<std::uint32_t> values, std::size_t bins) {
  LengthStats s;
  s.count = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  s.p50 = nearest_rank(values, 50);
  s.p90 = nearest_rank(values, 90);
  s.p99 = nearest_rank(values, 99);
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  const std::uint64_t span = static_cast<std::uint64_t>(s.max) - s.min + 1;
  const std::uint64_t n = std::max<std::uint64_t>(1, std::min<std::uint64_t>(bins, span));
  const std::uint64_t width = (span + n - 1) / n;
  for (std::uint64_t lo = s.min; lo <= s.max; lo += width) {
    s.histogram.push_back({static_cast<std::uint32_t>(lo),
                           static_cast<std::uint32_t>(std::min<std::uint64_t>(lo + width - 1, s.max)), 0});
  }
  for (const std::uint32_t v : values) ++s.histogram[(v - s.min) / width].count;
  return s;
}

PromptSummary summarize_prompts(const PromptSource& source, const PromptSummaryOptions& options) {
  PromptSummary summary;
  summary.requests = options.count;
  summary.prefixes.block_words = std::max<std::uint32_t>(1, options.block_words);
  DriverConfig config;  // build_request: the source's request plus the scenario's fields, as sent
  config.prompts = &source;
  config.request_fields = options.fields;
  std::vector<std::uint32_t> prompt_tokens, output_tokens, shared;
  prompt_tokens.reserve(options.count);
  std::unordered_set<std::uint64_t> seen;
  std::unordered_map<std::uint64_t, std::uint64_t> first_blocks;  // a first block's hash -> requests
  SharedPrefixStats& p = summary.prefixes;
  for (std::uint64_t i = 0; i < options.count; ++i) {
    const harness::ChatRequest request = build_request(config, i);
    prompt_tokens.push_back(request.prompt_tokens_estimate);
    if (request.max_tokens > 0) output_tokens.push_back(request.max_tokens);
    std::uint64_t words = 0;
    const std::vector<std::uint64_t> chain = block_chain(request, p.block_words, words);
    std::size_t hits = 0;
    while (hits < chain.size() && seen.contains(chain[hits])) ++hits;
    seen.insert(chain.begin(), chain.end());
    p.total_words += words;
    if (hits > 0) {
      ++p.requests_sharing;
      p.shared_words += hits * p.block_words;
      shared.push_back(static_cast<std::uint32_t>(hits * p.block_words));
    }
    if (!chain.empty()) ++first_blocks[chain.front()];
    if (summary.head.size() < options.head) {
      PromptSample sample;
      sample.index = i;
      for (const auto& m : request.messages) {
        sample.messages.push_back({m.role, harness::truncate_utf8(m.content, options.head_chars)});
        sample.message_bytes.push_back(m.content.size());
      }
      sample.prompt_tokens = request.prompt_tokens_estimate;
      sample.max_tokens = request.max_tokens;
      summary.head.push_back(std::move(sample));
    }
  }
  for (const auto& [hash, n] : first_blocks) {
    if (n < 2) continue;
    ++p.distinct_prefixes;
    p.min_requests_per_prefix = p.min_requests_per_prefix == 0 ? n : std::min(p.min_requests_per_prefix, n);
    p.max_requests_per_prefix = std::max(p.max_requests_per_prefix, n);
  }
  p.shared_prefix_words = length_stats(std::move(shared), options.bins);
  summary.prompt_tokens = length_stats(std::move(prompt_tokens), options.bins);
  summary.output_tokens = length_stats(std::move(output_tokens), options.bins);
  return summary;
}

}  // namespace llmbench::load
