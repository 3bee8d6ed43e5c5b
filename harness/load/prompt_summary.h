#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/client/chat_request.h"
#include "harness/client/request_fields.h"
#include "harness/load/prompt_source.h"

namespace llmbench::load {

// What a prompt source produces, computed without sending anything (`llmbench dataset`): the
// requests a run would send for indices 0..n-1, built the way the driver builds them (the
// source's request plus the scenario's request fields, build_request), summarised. Pure: no
// I/O, deterministic for a deterministic source.

// Distribution of a length (tokens): nearest-rank percentiles and a linear histogram.
struct LengthStats {
  struct Bin {
    std::uint32_t lo = 0;  // inclusive
    std::uint32_t hi = 0;  // inclusive
    std::uint64_t count = 0;
  };
  std::uint64_t count = 0;
  std::uint32_t min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
  double mean = 0;
  std::vector<Bin> histogram;  // covers [min, max] in equal-width bins, empty when count is 0
};

// Empty input: count 0 and no bins. At most `bins` bins (one per value when fewer values fit).
LengthStats length_stats(std::vector<std::uint32_t> values, std::size_t bins = 10);

// Shared leading text between requests, as an unbounded prefix cache would see it: each prompt
// (its messages' texts in order) is cut into blocks of `block_words` whitespace-separated words
// with chained hashes (a block's hash covers everything before it, as vLLM's prefix cache
// hashes token blocks); a request's shared prefix is its leading blocks already sent by an
// earlier request. Words rather than tokens, so no tokenizer is needed (a word is about a token).
struct SharedPrefixStats {
  std::uint32_t block_words = 16;
  std::uint64_t requests_sharing = 0;  // requests whose first block an earlier request sent
  // Distinct first blocks sent by more than one request (the shared documents), and the
  // requests starting with the least and the most used of them.
  std::uint64_t distinct_prefixes = 0;
  std::uint64_t min_requests_per_prefix = 0;
  std::uint64_t max_requests_per_prefix = 0;
  std::uint64_t shared_words = 0;  // sum over requests of their shared prefix's words
  std::uint64_t total_words = 0;   // sum over requests of their words
  LengthStats shared_prefix_words;  // per request that shares, its shared prefix's words
};

struct PromptSummaryOptions {
  std::uint64_t count = 0;   // requests 0..count-1
  std::size_t head = 3;      // the first requests, kept in full for printing
  std::size_t head_chars = 200;  // each head message's text is cut to this many bytes (harness::truncate_utf8: at a UTF-8 boundary, "…" marks a cut)
  harness::RequestFields fields;  // the scenario's request fields (max_tokens, ...)
  std::uint32_t block_words = 16;
  std::size_t bins = 10;
};

struct PromptSample {
  std::uint64_t index = 0;
  std::vector<harness::ChatMessage> messages;  // texts cut to head_chars
  std::vector<std::uint64_t> message_bytes;    // each message's full length
  std::uint32_t prompt_tokens = 0;
  std::uint32_t max_tokens = 0;  // 0: not set (the server's default)
};

struct PromptSummary {
  std::uint64_t requests = 0;
  LengthStats prompt_tokens;  // the source's count (exact with a tokenizer, else estimated)
  LengthStats output_tokens;  // requested max_tokens, over the requests that set one
  SharedPrefixStats prefixes;
  std::vector<PromptSample> head;
};

PromptSummary summarize_prompts(const PromptSource& source, const PromptSummaryOptions& options);

}  // namespace llmbench::load
