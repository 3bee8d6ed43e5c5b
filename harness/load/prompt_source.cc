#include "harness/load/prompt_source.h"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <random>
#include <vector>

#include "common/input_error.h"
#include "common/json_lines.h"
#include "harness/client/request_fields.h"
#include "harness/load/exact_length_prompt.h"

namespace llmbench::load {

namespace {

// Common short English words: most tokenizers map each to a single token.
constexpr std::array<std::string_view, 32> kVocabulary = {
    "the",  "of",    "and", "to",   "in",  "is",  "that", "for", "it",   "as",  "was",
    "with", "be",    "by",  "on",   "not", "he",  "this", "are", "or",   "his", "from",
    "at",   "which", "but", "have", "an",  "had", "they", "you", "were", "one"};

// Keys a shared document's stream apart from any request's ({seed, index}).
constexpr std::uint64_t kPrefixStream = 0x9e3779b9;

class SyntheticPrompts final : public PromptSource {
 public:
  explicit SyntheticPrompts(SyntheticPromptOptions options) : options_(std::move(options)) {
    validate_length_distribution(options_.prompt_tokens);
    if (options_.tokenizer) {
      exact_.emplace(options_.tokenizer);
      system_tokens_ = options_.tokenizer->count(options_.system_prompt);
    } else {
      system_tokens_ = estimate_tokens(options_.system_prompt);
    }
    // The shared documents, made once: every request that uses prefix k sends the same bytes.
    for (std::uint32_t k = 0; options_.prefix_tokens > 0 && k < options_.prefixes; ++k) {
      PromptRng rng{options_.seed, k, kPrefixStream};
      prefixes_.push_back(make_text(options_.prefix_tokens, rng) + "\n\n");
    }
  }

  harness::ChatRequest request_for(std::uint64_t index) const override {
    // One PRNG stream per index: the same seed and index give the same prompt in every mode.
    PromptRng rng{options_.seed, index};
    const std::uint32_t tokens = options_.prompt_tokens.sample(rng);
    harness::ChatRequest request;
    if (!options_.system_prompt.empty()) request.messages.push_back({"system", options_.system_prompt});
    std::string text;
    request.prompt_tokens_estimate = tokens + system_tokens_;
    if (!prefixes_.empty() && std::uniform_real_distribution<double>(0, 1)(rng) < options_.prefix_share) {
      text = prefixes_[std::uniform_int_distribution<std::size_t>(0, prefixes_.size() - 1)(rng)];
      request.prompt_tokens_estimate += options_.prefix_tokens;
    }
    text += make_text(tokens, rng);
    request.messages.push_back({"user", std::move(text)});
    return request;
  }

  // `tokens` tokens of text: exactly, with the tokenizer; else words of about one token each.
  std::string make_text(std::uint32_t tokens, PromptRng& rng) const {
    if (exact_) return exact_->make(tokens, rng).text;
    std::string text;
    text.reserve(static_cast<std::size_t>(tokens) * 5);
    std::uniform_int_distribution<std::size_t> pick(0, kVocabulary.size() - 1);
    for (std::uint32_t i = 0; i < tokens; ++i) {
      if (i > 0) text += ' ';
      text += kVocabulary[pick(rng)];
    }
    return text;
  }

  std::string description() const override {
    const auto& d = options_.prompt_tokens;
    std::string extra;
    if (!prefixes_.empty()) {
      extra += fmt::format("; {:g}% open with one of {} shared {}-token prefixes", options_.prefix_share * 100,
                           prefixes_.size(), options_.prefix_tokens);
    }
    if (exact_) extra += "; exact lengths: " + options_.tokenizer->description();
    return fmt::format("synthetic ({} prompt tokens, mean {}, seed {}{})", distribution_kind_name(d.shape.kind),
                       d.shape.mean(), options_.seed, extra);
  }

 private:
  SyntheticPromptOptions options_;
  std::optional<ExactLengthPrompts> exact_;
  std::uint32_t system_tokens_ = 0;
  std::vector<std::string> prefixes_;
};

// One line of a prompt file: its messages and its own request fields (they override the
// scenario's, harness/client/request_fields.h).
struct PromptLine {
  std::vector<harness::ChatMessage> messages;
  harness::RequestFields fields;
  std::uint32_t tokens = 0;  // counted once when read: a tokenizer costs microseconds per prompt
};

class JsonlPrompts final : public PromptSource {
 public:
  JsonlPrompts(std::string path, std::vector<PromptLine> prompts, tokenizer::TokenizerPtr tokenizer, std::string selected)
      : path_(std::move(path)), prompts_(std::move(prompts)), tokenizer_(std::move(tokenizer)), selected_(std::move(selected)) {}

  harness::ChatRequest request_for(std::uint64_t index) const override {
    const PromptLine& line = prompts_[index % prompts_.size()];
    harness::ChatRequest request;
    request.messages = line.messages;
    request.prompt_tokens_estimate = line.tokens;
    harness::apply_defaults(request, line.fields);
    return request;
  }

  std::string description() const override {
    const std::string count = selected_.empty() ? fmt::format("{} prompts", prompts_.size()) : selected_;
    if (tokenizer_) return fmt::format("{} ({}; tokens counted by {})", path_, count, tokenizer_->description());
    return fmt::format("{} ({})", path_, count);
  }
  std::optional<std::uint64_t> cycle_length() const override { return prompts_.size(); }

 private:
  std::string path_;
  std::vector<PromptLine> prompts_;
  tokenizer::TokenizerPtr tokenizer_;
  std::string selected_;  // "N of M prompts, ..." when a selection applied; empty: every line
};

std::string require_string(const boost::json::object& obj, std::string_view key, const std::string& where,
                           const std::string& field) {
  const auto* value = obj.if_contains(key);
  if (value == nullptr) throw InputError(where, field, "missing");
  if (!value->is_string()) throw InputError(where, field, "must be a string");
  return std::string(value->as_string());
}

std::uint32_t read_count(const boost::json::object& obj, std::string_view key, const std::string& where) {
  const auto& v = obj.at(key);
  if (!v.is_int64() && !v.is_uint64())
    throw InputError(where, std::string(key), "must be a whole number >= 0");
  if (v.is_int64() ? v.as_int64() < 0 || v.as_int64() > 10'000'000 : v.as_uint64() > 10'000'000)
    throw InputError(where, std::string(key), "must be between 0 and 10000000");
  return static_cast<std::uint32_t>(v.to_number<std::uint64_t>());
}

double read_real(const boost::json::object& obj, std::string_view key, double max, const std::string& where) {
  const auto& v = obj.at(key);
  if (!v.is_number()) throw InputError(where, std::string(key), "must be a number");
  const double d = v.to_number<double>();
  if (!(d >= 0 && d <= max)) throw InputError(where, std::string(key), fmt::format("must be between 0 and {}", max));
  return d;
}

// The request fields a line may carry besides its prompt (docs/scenarios.md "Request fields").
harness::RequestFields parse_fields(const boost::json::object& obj, const std::string& where) {
  harness::RequestFields f;
  if (obj.contains("max_tokens") && obj.contains("output_tokens"))
    throw InputError(where, "output_tokens", "is an alias of max_tokens: give one of them");
  for (const std::string_view key : {"max_tokens", "output_tokens"})
    if (obj.contains(key)) f.max_tokens = read_count(obj, key, where);
  if (obj.contains("min_tokens")) f.min_tokens = read_count(obj, "min_tokens", where);
  if (const auto* v = obj.if_contains("ignore_eos")) {
    if (!v->is_bool()) throw InputError(where, "ignore_eos", "must be true or false");
    f.ignore_eos = v->as_bool();
  }
  if (obj.contains("temperature")) f.temperature = read_real(obj, "temperature", 2.0, where);
  if (obj.contains("top_p")) f.top_p = read_real(obj, "top_p", 1.0, where);
  if (const auto* v = obj.if_contains("seed")) {
    if (!v->is_int64() && !v->is_uint64()) throw InputError(where, "seed", "must be a whole number");
    if (v->is_int64() && v->as_int64() < 0) throw InputError(where, "seed", "must be >= 0");
    f.seed = v->to_number<std::uint64_t>();
  }
  if (const auto* v = obj.if_contains("extra_body")) {
    if (!v->is_object()) throw InputError(where, "extra_body", "must be a JSON object");
    f.extra_body = std::make_shared<const boost::json::object>(v->as_object());
  }
  if (f.max_tokens > 0 && f.min_tokens > f.max_tokens)
    throw InputError(where, "min_tokens", fmt::format("{} is above max_tokens {}", f.min_tokens, f.max_tokens));
  return f;
}

std::vector<harness::ChatMessage> parse_messages(const boost::json::object& obj, const std::string& where) {
  const bool has_prompt = obj.contains("prompt");
  const bool has_messages = obj.contains("messages");
  if (has_prompt == has_messages) {
    throw InputError(where, "", "each line needs exactly one of \"prompt\" or \"messages\"");
  }
  std::vector<harness::ChatMessage> messages;
  if (has_prompt) {
    messages.push_back({"user", require_string(obj, "prompt", where, "prompt")});
    return messages;
  }
  const auto& list = obj.at("messages");
  if (!list.is_array() || list.as_array().empty()) {
    throw InputError(where, "messages", "must be a non-empty array of {\"role\", \"content\"} objects");
  }
  std::size_t i = 0;
  for (const auto& item : list.as_array()) {
    const std::string field = fmt::format("messages[{}]", i++);
    if (!item.is_object()) throw InputError(where, field, "must be an object with \"role\" and \"content\"");
    harness::ChatMessage message{require_string(item.as_object(), "role", where, field + ".role"),
                                 require_string(item.as_object(), "content", where, field + ".content")};
    if (message.role != "system" && message.role != "user" && message.role != "assistant") {
      throw InputError(where, field + ".role",
                       "must be \"system\", \"user\" or \"assistant\", not \"" + message.role + "\"");
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

PromptLine parse_line(const boost::json::value& value, const std::string& where) {
  if (!value.is_object())
    throw InputError(where, "", "each line must be a JSON object with \"prompt\" or \"messages\"");
  const auto& obj = value.as_object();
  PromptLine line{{}, parse_fields(obj, where)};
  line.messages = parse_messages(obj, where);
  return line;
}

}  // namespace

PromptSourcePtr make_synthetic_prompts(const SyntheticPromptOptions& options) {
  return std::make_unique<SyntheticPrompts>(options);
}

PromptSourcePtr load_jsonl_prompts(const std::filesystem::path& path, tokenizer::TokenizerPtr tokenizer,
                                   const DatasetSelection& selection, DatasetSummary* summary) {
  const std::string name = path.string();
  DatasetSummary counts;
  std::vector<PromptLine> prompts;
  for_each_json_line(path, "prompt file", [&](const JsonLine& json) {
    PromptLine line = parse_line(json.value, json.where);
    ++counts.records;
    ++counts.usable;
    for (const auto& m : line.messages) line.tokens += tokenizer ? tokenizer->count(m.content) : estimate_tokens(m.content);
    // Only the lines within the filters are kept (the same filters as a ShareGPT dataset's).
    if (!within_length_filters(line.tokens, line.fields.max_tokens, selection)) return;
    ++counts.filtered;
    prompts.push_back(std::move(line));
  });
  if (counts.records == 0) throw InputError(name, "", "no prompts in file (expected one JSON object per line)");
  if (prompts.empty()) {
    throw InputError(name, "",
                     fmt::format("no prompts within the length filters ({} lines; min_prompt_tokens {}, "
                                 "max_prompt_tokens {}, max_output_tokens {})",
                                 counts.records, selection.min_prompt_tokens, selection.max_prompt_tokens,
                                 selection.max_output_tokens));
  }
  prompts = select_records(std::move(prompts), selection);
  counts.selected = prompts.size();
  if (summary != nullptr) *summary = counts;
  std::string selected;
  if (selection.active()) {
    selected = fmt::format("{} of {} prompts{}", counts.selected, counts.records,
                           selection.sample ? fmt::format(", sampled with seed {}{}", selection.seed,
                                                          selection.replacement ? " with replacement" : "")
                                            : std::string());
  }
  return std::make_unique<JsonlPrompts>(name, std::move(prompts), std::move(tokenizer), std::move(selected));
}

}  // namespace llmbench::load
