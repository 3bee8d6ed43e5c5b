#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmbench::tokenizer {

// A real model tokenizer, for exact token counts where the estimate (common/token_estimate.h)
// is not good enough: prompts of an exact input length, output tokens of a server that reports
// no usage. Encodes text only: no BOS/EOS and no chat template, which a server adds on its side
// (so a server's prompt_tokens is this count plus a fixed per-request overhead).
// All methods are const and thread-safe: one loaded tokenizer is shared by every worker.
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  virtual std::vector<std::uint32_t> encode(std::string_view text) const = 0;
  // The bytes of the ids, concatenated (may be invalid UTF-8 for an arbitrary id sequence).
  virtual std::string decode(std::span<const std::uint32_t> ids) const = 0;
  // Ids are below this bound.
  virtual std::uint32_t vocab_size() const = 0;
  // The bytes of one id alone; empty for a control/special id.
  virtual std::string piece(std::uint32_t id) const = 0;
  // True for a special or control id (BOS, EOS, <|eot_id|>...): never produced by ordinary text
  // in a prompt generator.
  virtual bool is_special(std::uint32_t id) const = 0;
  // For reports: "Hugging Face byte-level BPE, 128256 tokens (tokenizer.json)".
  virtual std::string description() const = 0;

  std::uint32_t count(std::string_view text) const { return static_cast<std::uint32_t>(encode(text).size()); }
};
using TokenizerPtr = std::shared_ptr<const Tokenizer>;

// Loads a tokenizer by its file: a Hugging Face `tokenizer.json` (byte-level BPE: Llama 3,
// Qwen 2, GPT-2 style) or a SentencePiece `.model` (Llama 2, Mistral, Gemma, T5 style).
// Throws llmbench::InputError naming the file (and the JSON field) when the file is missing,
// malformed or uses a component this loader does not implement.
TokenizerPtr load_tokenizer(const std::filesystem::path& path);

}  // namespace llmbench::tokenizer
