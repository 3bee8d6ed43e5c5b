#include "common/tokenizer/tokenizer.h"

#include <fstream>

#include "common/input_error.h"
#include "common/tokenizer/byte_level_bpe.h"
#include "common/tokenizer/sentencepiece_tokenizer.h"

namespace llmbench::tokenizer {

TokenizerPtr load_tokenizer(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open tokenizer file");
  // By content, not by name: a tokenizer.json is a JSON object; a SentencePiece model is a
  // protobuf, whose first byte is never '{'.
  char first = 0;
  while (in.get(first) && (first == ' ' || first == '\n' || first == '\r' || first == '\t')) {
  }
  if (!in) throw InputError(path.string(), "", "empty tokenizer file");
  if (first == '{') return load_byte_level_bpe(path);
  return load_sentencepiece(path);
}

}  // namespace llmbench::tokenizer
