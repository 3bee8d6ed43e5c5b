#pragma once

#include <filesystem>

#include "common/tokenizer/tokenizer.h"

namespace llmbench::tokenizer {

// A Hugging Face `tokenizer.json` whose model is byte-level BPE (Llama 3, Qwen 2, GPT-2/NeoX,
// StarCoder style). Implements what those files use: normalizer null or NFC; pre-tokenizers
// Split (regex or string, "Isolated") and ByteLevel (with or without its GPT-2 regex), alone or
// in a Sequence; BPE with merges in either file format and `ignore_merges`; added tokens matched
// in the raw text before anything else. Anything else (Metaspace, byte_fallback, WordPiece,
// other split behaviours...) is refused with an error naming the field, never approximated.
// Checked token for token against transformers.js (tests/tokenizer/).
TokenizerPtr load_byte_level_bpe(const std::filesystem::path& path);

}  // namespace llmbench::tokenizer
