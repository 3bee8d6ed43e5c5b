#include "common/tokenizer/sentencepiece_tokenizer.h"

#include <fmt/format.h>
#include <sentencepiece_processor.h>

#include "common/input_error.h"

namespace llmbench::tokenizer {

namespace {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  explicit SentencePieceTokenizer(const std::filesystem::path& path) : file_(path.filename().string()) {
    const auto status = processor_.Load(path.string());
    if (!status.ok()) throw InputError(path.string(), "", "not a SentencePiece model: " + status.ToString());
  }

  // SentencePieceProcessor's Encode/Decode are const and safe to call from many threads.
  std::vector<std::uint32_t> encode(std::string_view text) const override {
    std::vector<int> ids;
    const auto status = processor_.Encode(text, &ids);
    if (!status.ok()) throw std::runtime_error("SentencePiece encode failed: " + status.ToString());
    return {ids.begin(), ids.end()};
  }

  std::string decode(std::span<const std::uint32_t> ids) const override {
    const std::vector<int> signed_ids(ids.begin(), ids.end());
    std::string text;
    const auto status = processor_.Decode(signed_ids, &text);
    if (!status.ok()) throw std::runtime_error("SentencePiece decode failed: " + status.ToString());
    return text;
  }

  std::uint32_t vocab_size() const override { return static_cast<std::uint32_t>(processor_.GetPieceSize()); }

  std::string piece(std::uint32_t id) const override {
    if (is_special(id)) return {};
    return decode(std::span<const std::uint32_t>(&id, 1));
  }

  bool is_special(std::uint32_t id) const override {
    const auto i = static_cast<int>(id);
    return id >= vocab_size() || processor_.IsControl(i) || processor_.IsUnknown(i) || processor_.IsUnused(i);
  }

  std::string description() const override {
    return fmt::format("SentencePiece, {} tokens ({})", vocab_size(), file_);
  }

 private:
  std::string file_;
  sentencepiece::SentencePieceProcessor processor_;
};

}  // namespace

TokenizerPtr load_sentencepiece(const std::filesystem::path& path) {
  return std::make_shared<SentencePieceTokenizer>(path);
}

}  // namespace llmbench::tokenizer
