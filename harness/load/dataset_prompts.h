#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/tokenizer/tokenizer.h"
#include "harness/client/chat_request.h"
#include "harness/load/dataset_selection.h"
#include "harness/load/prompt_source.h"

namespace llmbench::load {

// A conversation dataset as vLLM's `bench serve --dataset-name sharegpt` reads it: each record
// has `conversations`, a list of {"from": "human"|"gpt"|..., "value": text} turns; its first
// human turn is the prompt and the reply that follows it gives the output length, which
// becomes the request's max_tokens (pinned to the server with ignore_eos where supported).
// Records without a human turn followed by a reply are skipped, as vLLM skips them. Accepts
// the usual JSON array file (ShareGPT_V3_unfiltered_cleaned_split.json) or JSONL, one record
// per line; JSONL is read line by line, so only the selected prompts are kept in memory.
// A later human turn of a conversation and its reply's length: the natural next message of a
// multi-turn session (harness/load/session.h). Read only with DatasetSelection::later_turns.
struct DatasetTurn {
  std::string text;
  std::uint32_t prompt_tokens = 0;
  std::uint32_t output_tokens = 0;
};

struct DatasetEntry {
  std::vector<harness::ChatMessage> messages;
  std::vector<DatasetTurn> later;   // the conversation's later human turns with a reply, in order
  std::uint32_t prompt_tokens = 0;  // counted with the tokenizer if any, else estimated
  std::uint32_t output_tokens = 0;  // the reply's length, the same way
  std::uint64_t record = 0;         // 1-based record (JSON array element or JSONL line)
};

// Which records a run uses and what was read: harness/load/dataset_selection.h.

// Reads and selects. Throws llmbench::InputError "file:line: field: problem" (the line of the
// JSONL record, or the record index of a JSON array: "file: [12].conversations[0].value") for
// malformed data, and when nothing is left after the filters.
std::vector<DatasetEntry> read_sharegpt(const std::filesystem::path& path, const tokenizer::TokenizerPtr& tokenizer,
                                        const DatasetSelection& selection, DatasetSummary* summary = nullptr);

// A prompt source over selected entries, round-robin by request index; each request carries
// its entry's output length as max_tokens (a scenario's max_tokens still overrides it). In a
// multi-turn session, turn k of the session on entry e is e's k-th later turn while it has one
// (with its reply's length as max_tokens), then other entries' first turns.
PromptSourcePtr make_dataset_prompts(std::string description, std::shared_ptr<const std::vector<DatasetEntry>> entries);

}  // namespace llmbench::load
