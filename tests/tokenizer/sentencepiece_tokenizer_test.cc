#include "common/tokenizer/sentencepiece_tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <sstream>

#include "common/input_error.h"
#include "tests/tokenizer/temp_dir.h"

namespace llmbench::tokenizer {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

// Trains a small unigram model with Debian's spm_train (seconds) on seeded text.
class SentencePieceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937 rng(7);
    const std::vector<std::string> words = {"load", "test", "token", "stream", "latency", "server", "model",
                                            "the",  "of",   "and",   "queue",  "batch",   "prefill", "decode"};
    std::uniform_int_distribution<std::size_t> pick(0, words.size() - 1);
    std::ostringstream text;
    for (int line = 0; line < 400; ++line) {
      for (int w = 0; w < 12; ++w) text << (w ? " " : "") << words[pick(rng)];
      text << "\n";
    }
    const auto corpus = dir_.write("corpus.txt", text.str());
    prefix_ = (dir_.path() / "m").string();
    run("spm_train --input=" + corpus.string() + " --model_prefix=" + prefix_ +
        " --vocab_size=32 --model_type=unigram --minloglevel=2 2>&1");
    ASSERT_TRUE(std::filesystem::exists(prefix_ + ".model")) << "spm_train (Debian package sentencepiece) failed";
  }
  TempDir dir_;
  std::string prefix_;
};

TEST_F(SentencePieceTest, EncodesAsTheReferenceCommandLineDoes) {
  const auto t = load_sentencepiece(prefix_ + ".model");
  EXPECT_EQ(t->vocab_size(), 32u);
  const std::string text = "the latency of the prefill and decode stream";
  const auto input = dir_.write("in.txt", text + "\n");
  std::istringstream reference(run("spm_encode --model=" + prefix_ + ".model --output_format=id < " + input.string()));
  std::vector<std::uint32_t> want;
  for (std::uint32_t id = 0; reference >> id;) want.push_back(id);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(t->encode(text), want);
  EXPECT_EQ(t->count(text), want.size());
  EXPECT_EQ(t->decode(t->encode(text)), text);
  // <unk>, <s>, </s> are ids 0..2 of a default model: never ordinary text.
  EXPECT_TRUE(t->is_special(0));
  EXPECT_TRUE(t->is_special(1));
  EXPECT_EQ(t->piece(1), "");
  EXPECT_FALSE(t->is_special(want[0]));
  EXPECT_THAT(t->description(), HasSubstr("SentencePiece, 32 tokens"));
}

TEST_F(SentencePieceTest, ANonModelFileIsAnInputErrorNamingIt) {
  const auto bogus = dir_.write("bogus.model", "this is not a protobuf");
  try {
    load_sentencepiece(bogus);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(bogus.string()));
  }
}

}  // namespace
}  // namespace llmbench::tokenizer
