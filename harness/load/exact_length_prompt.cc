#include "harness/load/exact_length_prompt.h"

#include <fmt/format.h>

#include <stdexcept>

namespace llmbench::load {

namespace {

bool is_word(const std::string& piece) {
  std::size_t i = piece.size() > 0 && piece[0] == ' ' ? 1 : 0;
  if (piece.size() - i < 2) return false;
  for (; i < piece.size(); ++i) {
    const char c = piece[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

}  // namespace

ExactLengthPrompts::ExactLengthPrompts(tokenizer::TokenizerPtr tokenizer) : tokenizer_(std::move(tokenizer)) {
  // Only whole words, which bring their own space ("foo foo" or " foo foo" when repeated, never
  // "foofoo"), and stay themselves when re-encoded: a sequence of them re-encodes to the same
  // ids, piece by piece straight from the vocabulary, so make() is one decode and one encode.
  for (std::uint32_t id = 0; id < tokenizer_->vocab_size(); ++id) {
    if (tokenizer_->is_special(id)) continue;
    const std::string piece = tokenizer_->piece(id);
    if (!is_word(piece)) continue;
    const std::string word = piece[0] == ' ' ? piece.substr(1) : piece;
    const std::uint32_t twice[] = {id, id};
    const std::string text = tokenizer_->decode(twice);
    if (text != word + " " + word && text != " " + word + " " + word) continue;
    const auto again = tokenizer_->encode(text);
    if (again.size() == 2 && again[0] == id && again[1] == id) words_.push_back(id);
  }
  if (words_.size() < 100) {
    throw std::invalid_argument(fmt::format("the tokenizer ({}) has only {} plain word tokens, too few to make prompts",
                                            tokenizer_->description(), words_.size()));
  }
}

ExactLengthPrompts::Text ExactLengthPrompts::make(std::uint32_t tokens, PromptRng& rng) const {
  std::uniform_int_distribution<std::size_t> pick(0, words_.size() - 1);
  const auto top_up = [&](std::vector<std::uint32_t>& ids) {
    while (ids.size() < tokens) ids.push_back(words_[pick(rng)]);
  };
  std::vector<std::uint32_t> ids;
  top_up(ids);
  Text out;
  // The first round nearly always fits. Should neighbouring words still merge when re-encoded
  // (count drops) or one split (count grows), trimming or topping up converges in another.
  for (int round = 0; round < 12; ++round) {
    out.text = tokenizer_->decode(ids);
    std::vector<std::uint32_t> encoded = tokenizer_->encode(out.text);
    out.tokens = static_cast<std::uint32_t>(encoded.size());
    if (encoded.size() == tokens) return out;
    if (encoded.size() > tokens) encoded.resize(tokens);
    ids = std::move(encoded);
    top_up(ids);
  }
  out.exact = false;
  return out;
}

}  // namespace llmbench::load
