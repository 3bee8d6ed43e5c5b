#include "harness/load/trace_replay.h"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <random>

#include "common/input_error.h"
#include "common/json_lines.h"
#include "harness/load/exact_length_prompt.h"

namespace llmbench::load {

namespace {

namespace json = boost::json;

std::uint64_t read_count(const json::object& o, std::string_view key, const std::string& where, std::uint64_t max,
                         bool required) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    if (required) throw InputError(where, std::string(key), "missing");
    return 0;
  }
  if (v->is_int64() && v->as_int64() >= 0 && static_cast<std::uint64_t>(v->as_int64()) <= max)
    return static_cast<std::uint64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= max) return v->as_uint64();
  throw InputError(where, std::string(key), fmt::format("must be an integer from 0 to {}", max));
}

class TraceArrivals final : public ArrivalProcess {
 public:
  TraceArrivals(Trace trace, double speed) : trace_(std::move(trace)), speed_(speed) {}
  std::int64_t next_offset_ns() override {
    // Past the end the schedule has already stopped (its request count is the trace's length);
    // "never" keeps a stray claim from sending early.
    if (next_ >= trace_->size()) return std::numeric_limits<std::int64_t>::max() / 2;
    return static_cast<std::int64_t>(std::llround(static_cast<double>((*trace_)[next_++].timestamp_ms) * 1e6 / speed_));
  }

 private:
  Trace trace_;
  double speed_;
  std::size_t next_ = 0;
};

// Words standing for tokens when there is no tokenizer (as synthetic prompts do).
constexpr std::array<std::string_view, 16> kWords = {"the", "of", "and", "to", "in", "is", "that", "for",
                                                     "it",  "as", "was", "with", "be", "by", "on", "not"};

class TracePrompts final : public PromptSource {
 public:
  TracePrompts(Trace trace, tokenizer::TokenizerPtr tokenizer, std::uint64_t seed, std::uint32_t block_tokens)
      : trace_(std::move(trace)), tokenizer_(std::move(tokenizer)), seed_(seed), block_tokens_(block_tokens) {
    if (tokenizer_) exact_.emplace(tokenizer_);
  }

  harness::ChatRequest request_for(std::uint64_t index) const override {
    const std::uint64_t entry = index % trace_->size();
    const TraceEntry& e = (*trace_)[entry];
    std::string text;
    std::uint32_t left = e.input_length;
    // Block i of the prompt is hash id i's content; the last is cut to what is left.
    for (const std::uint64_t id : e.hash_ids) {
      if (left == 0) break;
      const std::uint32_t n = std::min(left, block_tokens_);
      append(text, make_text(n, {seed_, id, n, 0x7eed}));
      left -= n;
    }
    if (left > 0) append(text, make_text(left, {seed_, entry, left, 0xf111}));  // beyond the blocks: the entry's own
    harness::ChatRequest request;
    request.messages.push_back({"user", std::move(text)});
    request.max_tokens = e.output_length;
    request.prompt_tokens_estimate = e.input_length;
    return request;
  }

  std::string description() const override {
    return fmt::format("trace ({} requests, {}-token blocks{})", trace_->size(), block_tokens_,
                       tokenizer_ ? "; exact lengths: " + tokenizer_->description() : std::string());
  }
  std::optional<std::uint64_t> cycle_length() const override { return trace_->size(); }

 private:
  static void append(std::string& text, const std::string& piece) {
    // Texts of a byte-level tokenizer start with their space; SentencePiece's and the word
    // texts do not and get one, so counts add up across blocks.
    if (!text.empty() && !piece.empty() && piece.front() != ' ') text += ' ';
    text += piece;
  }

  std::string make_text(std::uint32_t tokens, std::array<std::uint64_t, 4> key) const {
    PromptRng rng{key[0], key[1], key[2], key[3]};
    if (exact_) return exact_->make(tokens, rng).text;
    std::uniform_int_distribution<std::size_t> pick(0, kWords.size() - 1);
    std::string text;
    for (std::uint32_t i = 0; i < tokens; ++i) {
      if (i > 0) text += ' ';
      text += kWords[pick(rng)];
    }
    return text;
  }

  Trace trace_;
  tokenizer::TokenizerPtr tokenizer_;
  std::optional<ExactLengthPrompts> exact_;
  std::uint64_t seed_;
  std::uint32_t block_tokens_;
};

}  // namespace

Trace read_trace(const std::filesystem::path& path) {
  const std::string name = path.string();
  auto entries = std::make_shared<std::vector<TraceEntry>>();
  for_each_json_line(path, "trace file", [&](const JsonLine& line) {
    const json::value& value = line.value;
    const std::string& where = line.where;
    const std::uint64_t line_number = line.number;
    if (!value.is_object()) throw InputError(where, "", "each line must be a JSON object");
    const json::object& o = value.as_object();
    TraceEntry e;
    e.line = line_number;
    e.timestamp_ms = static_cast<std::int64_t>(read_count(o, "timestamp", where, std::int64_t{1} << 50, true));
    e.input_length = static_cast<std::uint32_t>(read_count(o, "input_length", where, 1 << 24, true));
    e.output_length = static_cast<std::uint32_t>(read_count(o, "output_length", where, 1 << 24, true));
    if (e.input_length == 0) throw InputError(where, "input_length", "must be at least 1");
    if (e.output_length == 0) throw InputError(where, "output_length", "must be at least 1");
    if (const json::value* ids = o.if_contains("hash_ids")) {
      if (!ids->is_array()) throw InputError(where, "hash_ids", "must be an array of block ids");
      std::size_t i = 0;
      for (const json::value& id : ids->as_array()) {
        const std::string field = fmt::format("hash_ids[{}]", i++);
        if (id.is_int64() && id.as_int64() >= 0) e.hash_ids.push_back(static_cast<std::uint64_t>(id.as_int64()));
        else if (id.is_uint64()) e.hash_ids.push_back(id.as_uint64());
        else throw InputError(where, field, "must be a non-negative integer");
      }
    }
    if (!entries->empty() && e.timestamp_ms < entries->back().timestamp_ms) {
      throw InputError(where, "timestamp",
                       fmt::format("goes backwards ({} after {} on line {}): a trace is in time order", e.timestamp_ms,
                                   entries->back().timestamp_ms, entries->back().line));
    }
    entries->push_back(std::move(e));
  });
  if (entries->empty()) throw InputError(name, "", "no requests in the trace (expected one JSON object per line)");
  return entries;
}

ArrivalProcessPtr make_trace_arrivals(Trace trace, double speed) {
  return std::make_unique<TraceArrivals>(std::move(trace), speed);
}

double trace_rate(const std::vector<TraceEntry>& trace, double speed) {
  const double span_s = static_cast<double>(trace.back().timestamp_ms - trace.front().timestamp_ms) / 1e3 / speed;
  // One request, or all at one instant: a nominal rate of one per millisecond of replay.
  if (!(span_s > 0)) return 1000.0 * static_cast<double>(trace.size());
  return static_cast<double>(trace.size()) / span_s;
}

PromptSourcePtr make_trace_prompts(Trace trace, tokenizer::TokenizerPtr tokenizer, std::uint64_t seed,
                                   std::uint32_t block_tokens) {
  return std::make_unique<TracePrompts>(std::move(trace), std::move(tokenizer), seed, block_tokens);
}

}  // namespace llmbench::load
