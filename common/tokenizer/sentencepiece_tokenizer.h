#pragma once

#include <filesystem>

#include "common/tokenizer/tokenizer.h"

namespace llmbench::tokenizer {

// A SentencePiece model file (`tokenizer.model` of Llama 2, Mistral, Gemma, T5...) through
// Debian's libsentencepiece, the reference implementation: its ids are the model's by
// definition. The text is encoded as is (no BOS/EOS added).
TokenizerPtr load_sentencepiece(const std::filesystem::path& path);

}  // namespace llmbench::tokenizer
