#include "harness/load/dataset_prompts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <sstream>

#include "common/input_error.h"
#include "common/json_lines.h"
#include "common/token_estimate.h"

namespace llmbench::load {

namespace {

namespace json = boost::json;

std::uint32_t count_tokens(const tokenizer::TokenizerPtr& t, std::string_view text) {
  return t ? t->count(text) : estimate_tokens(text);
}

// One ShareGPT record: the first human turn and the turn after it. nullopt when the record
// has no such pair (skipped, as vLLM does); throws InputError for a malformed record.
std::optional<DatasetEntry> entry_of(const json::value& record, const std::string& where,
                                     const tokenizer::TokenizerPtr& tokenizer, bool later_turns = false) {
  if (!record.is_object()) throw InputError(where, "", "each record must be an object with \"conversations\"");
  const json::value* turns = record.as_object().if_contains("conversations");
  if (turns == nullptr) throw InputError(where, "conversations", "missing");
  if (!turns->is_array()) throw InputError(where, "conversations", "must be an array of {\"from\", \"value\"} turns");
  const json::array& list = turns->as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string field = fmt::format("conversations[{}]", i);
    if (!list[i].is_object()) throw InputError(where, field, "must be an object with \"from\" and \"value\"");
    const json::object& turn = list[i].as_object();
    const json::value* from = turn.if_contains("from");
    const json::value* value = turn.if_contains("value");
    if (from == nullptr || !from->is_string()) throw InputError(where, field + ".from", "must be a string");
    if (value == nullptr || !value->is_string()) throw InputError(where, field + ".value", "must be a string");
    if (from->as_string() != "human" && from->as_string() != "user") continue;
    if (i + 1 >= list.size()) return std::nullopt;  // a question without an answer
    const json::value* reply = list[i + 1].is_object() ? list[i + 1].as_object().if_contains("value") : nullptr;
    if (reply == nullptr || !reply->is_string())
      throw InputError(where, fmt::format("conversations[{}].value", i + 1), "must be a string");
    DatasetEntry entry;
    entry.messages.push_back({"user", std::string(value->as_string())});
    entry.prompt_tokens = count_tokens(tokenizer, value->as_string());
    entry.output_tokens = count_tokens(tokenizer, reply->as_string());
    if (entry.prompt_tokens == 0 || entry.output_tokens == 0) return std::nullopt;  // empty turns
    // Multi-turn sessions: every later human turn followed by a reply, checked as strictly.
    for (std::size_t j = i + 2; later_turns && j + 1 < list.size(); ++j) {
      const auto text_of = [&](std::size_t k, const char* key) -> const json::value& {
        const json::value* v = list[k].is_object() ? list[k].as_object().if_contains(key) : nullptr;
        if (v == nullptr || !v->is_string()) throw InputError(where, fmt::format("conversations[{}].{}", k, key), "must be a string");
        return *v;
      };
      const std::string_view who = text_of(j, "from").as_string();
      if (who != "human" && who != "user") continue;
      const std::string_view question = text_of(j, "value").as_string();
      const std::string_view answer = text_of(j + 1, "value").as_string();
      DatasetTurn next{std::string(question), count_tokens(tokenizer, question), count_tokens(tokenizer, answer)};
      if (next.prompt_tokens > 0 && next.output_tokens > 0) entry.later.push_back(std::move(next));
      ++j;  // the reply
    }
    return entry;
  }
  return std::nullopt;
}

class DatasetPrompts final : public PromptSource {
 public:
  DatasetPrompts(std::string description, std::shared_ptr<const std::vector<DatasetEntry>> entries)
      : description_(std::move(description)), entries_(std::move(entries)) {}

  harness::ChatRequest request_for(std::uint64_t index) const override {
    const DatasetEntry& e = (*entries_)[index % entries_->size()];
    harness::ChatRequest request;
    request.messages = e.messages;
    request.max_tokens = e.output_tokens;
    request.prompt_tokens_estimate = e.prompt_tokens;
    return request;
  }
  std::string description() const override { return description_; }
  std::optional<std::uint64_t> cycle_length() const override { return entries_->size(); }

  harness::ChatRequest turn_for(std::uint64_t session, std::uint32_t turn) const override {
    const DatasetEntry& e = (*entries_)[session % entries_->size()];
    if (turn == 0 || turn > e.later.size()) return PromptSource::turn_for(session, turn);
    const DatasetTurn& next = e.later[turn - 1];
    harness::ChatRequest request;
    request.messages.push_back({"user", next.text});
    request.max_tokens = next.output_tokens;
    request.prompt_tokens_estimate = next.prompt_tokens;
    return request;
  }

 private:
  std::string description_;
  std::shared_ptr<const std::vector<DatasetEntry>> entries_;
};

}  // namespace

std::vector<DatasetEntry> read_sharegpt(const std::filesystem::path& path, const tokenizer::TokenizerPtr& tokenizer,
                                        const DatasetSelection& selection, DatasetSummary* summary) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(name, "", "cannot open dataset file");
  DatasetSummary counts;
  std::vector<DatasetEntry> kept;
  const auto take = [&](std::optional<DatasetEntry> entry) {
    ++counts.records;
    if (!entry) return;
    ++counts.usable;
    if (!within_length_filters(entry->prompt_tokens, entry->output_tokens, selection)) return;
    ++counts.filtered;
    kept.push_back(std::move(*entry));
  };
  // A JSON array is one document (parsed whole: convert very large files to JSONL); anything
  // else is JSONL, read a line at a time so only the kept prompts stay in memory.
  char first = 0;
  while (in.get(first) && std::isspace(static_cast<unsigned char>(first))) {
  }
  if (!in) throw InputError(name, "", "empty dataset file");
  in.unget();
  if (first == '[') {
    std::ostringstream text;
    text << in.rdbuf();
    json::error_code ec;
    const json::value root = json::parse(text.str(), ec);
    if (ec) throw InputError(name, "", "not valid JSON: " + ec.message());
    const json::array& records = root.as_array();
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::size_t before = kept.size();
      take(entry_of(records[i], fmt::format("{}: [{}]", name, i), tokenizer, selection.later_turns));
      if (kept.size() > before) kept.back().record = i + 1;
    }
  } else {
    for_each_json_line(in, name, [&](const JsonLine& line) {
      const std::size_t before = kept.size();
      take(entry_of(line.value, line.where, tokenizer, selection.later_turns));
      if (kept.size() > before) kept.back().record = line.number;
    });
  }
  if (kept.empty()) {
    throw InputError(name, "",
                     fmt::format("no usable conversations ({} records, {} with a prompt and a reply, none within "
                                 "the length filters)",
                                 counts.records, counts.usable));
  }
  std::vector<DatasetEntry> selected = select_records(std::move(kept), selection);
  counts.selected = selected.size();
  if (summary != nullptr) *summary = counts;
  return selected;
}

PromptSourcePtr make_dataset_prompts(std::string description, std::shared_ptr<const std::vector<DatasetEntry>> entries) {
  return std::make_unique<DatasetPrompts>(std::move(description), std::move(entries));
}

}  // namespace llmbench::load
