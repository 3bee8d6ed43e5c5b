#include "common/tokenizer/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/input_error.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::tokenizer {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

TEST(LoadTokenizer, ChoosesTheFormatByContent) {
  TempDir dir;
  // A JSON object goes to the tokenizer.json reader (whose error names its field)...
  const auto json = dir.write("anything.bin", "  {\"model\": {\"type\": \"WordPiece\"}, \"pre_tokenizer\": {\"type\": \"ByteLevel\"}}");
  EXPECT_THAT([&] { load_tokenizer(json); }, ::testing::ThrowsMessage<InputError>(HasSubstr("model.type")));
  // ...anything else to SentencePiece.
  const auto other = dir.write("tokenizer.json", "\x0a\x05hello");
  EXPECT_THAT([&] { load_tokenizer(other); }, ::testing::ThrowsMessage<InputError>(HasSubstr("SentencePiece")));
  EXPECT_THAT([&] { load_tokenizer(dir.write("empty", "")); }, ::testing::ThrowsMessage<InputError>(HasSubstr("empty")));
  EXPECT_THAT([&] { load_tokenizer(dir.path() / "nope"); }, ::testing::ThrowsMessage<InputError>(HasSubstr("cannot open")));
}

TEST(LoadTokenizer, LoadsLlama3FromItsTokenizerJson) {
  const auto t = load_tokenizer(testing::kLlama3TokenizerJson);
  EXPECT_EQ(t->encode("Hello, my dog is cute"), (std::vector<std::uint32_t>{9906, 11, 856, 5679, 374, 19369}));
  EXPECT_THAT(t->description(), HasSubstr("byte-level BPE, 128256 tokens"));
}

}  // namespace
}  // namespace llmbench::tokenizer
