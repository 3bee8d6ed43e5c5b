#include "common/tokenizer/sentencepiece_tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <sstream>

#include "common/input_error.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::tokenizer {
namespace {

using ::testing::HasSubstr;
using testing::run_command;
using testing::TempDir;
using testing::train_sentencepiece;

// Trains a small unigram model with Debian's spm_train (seconds) on seeded text.
class SentencePieceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = train_sentencepiece(dir_, 400);
    ASSERT_FALSE(model_.empty()) << "spm_train (Debian package sentencepiece) failed";
    prefix_ = (dir_.path() / "m").string();
  }
  TempDir dir_;
  std::filesystem::path model_;
  std::string prefix_;
};

TEST_F(SentencePieceTest, EncodesAsTheReferenceCommandLineDoes) {
  const auto t = load_sentencepiece(prefix_ + ".model");
  EXPECT_EQ(t->vocab_size(), 400u);
  const std::string text = "the latency of the prefill and decode stream";
  const auto input = dir_.write("in.txt", text + "\n");
  std::istringstream reference(run_command("spm_encode --model=" + prefix_ + ".model --output_format=id < " + input.string()));
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
  EXPECT_THAT(t->description(), HasSubstr("SentencePiece, 400 tokens"));
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
