#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/tokenizer/tokenizer.h"
#include "harness/load/prompt_rng.h"

namespace llmbench::load {

// Prompts of an exact token count under a real tokenizer, as vLLM's random dataset makes them:
// random ordinary word tokens, decoded, re-encoded and trimmed or topped up until the text
// encodes to exactly the count asked for. Random tokens (not a fixed word list) also keep a
// server's prefix cache from sharing anything between prompts, as a random dataset should.
class ExactLengthPrompts {
 public:
  // Collects the tokenizer's word tokens (two or more ASCII letters, optionally after one
  // space, that encode to themselves when repeated): plain text every tokenizer round-trips.
  // About 0.1 s for a 128k vocabulary. Throws std::invalid_argument if it has fewer than 100.
  explicit ExactLengthPrompts(tokenizer::TokenizerPtr tokenizer);

  struct Text {
    std::string text;
    std::uint32_t tokens = 0;  // exactly the count asked for, unless `exact` is false
    bool exact = true;
  };
  // Deterministic for a given rng state. Gives up after a few rounds (never seen on the
  // tokenizers tested) and returns the nearest text with its true count and exact = false.
  Text make(std::uint32_t tokens, PromptRng& rng) const;

  const tokenizer::Tokenizer& tokenizer() const { return *tokenizer_; }

 private:
  tokenizer::TokenizerPtr tokenizer_;
  std::vector<std::uint32_t> words_;
};

}  // namespace llmbench::load
