#include "common/tokenizer/byte_level_bpe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <random>

#include "common/input_error.h"
#include "tests/support/tokenizer_fixtures.h"

namespace llmbench::tokenizer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

// The byte-level alphabet spelling of a byte (GPT-2's bytes_to_unicode), for hand-made files.
std::string alphabet(unsigned char b) {
  int n = 0;
  for (int c = 0; c < 256; ++c) {
    const bool printable = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE && c <= 0xFF);
    const int cp = printable ? c : 256 + n++;
    if (c == b) {
      std::string out;
      if (cp < 0x80) out.push_back(static_cast<char>(cp));
      else {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
      return out;
    }
  }
  return {};
}

// A small tokenizer.json: the 256 bytes as ids 0..255, then the given merges in rank order
// (each merged token gets the next id), GPT-2 style ByteLevel pre-tokenizer.
boost::json::object tiny_tokenizer(const std::vector<std::pair<std::string, std::string>>& merges,
                                   bool ignore_merges = false) {
  boost::json::object vocab;
  for (int b = 0; b < 256; ++b) vocab[alphabet(static_cast<unsigned char>(b))] = b;
  boost::json::array merge_list;
  std::int64_t next = 256;
  const auto spell = [](const std::string& raw) {
    std::string s;
    for (unsigned char c : raw) s += alphabet(c);
    return s;
  };
  for (const auto& [a, b] : merges) {
    merge_list.emplace_back(spell(a) + " " + spell(b));
    if (!vocab.contains(spell(a + b))) vocab[spell(a + b)] = next++;
  }
  return boost::json::object{
      {"normalizer", nullptr},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}}},
      {"model", {{"type", "BPE"}, {"ignore_merges", ignore_merges}, {"vocab", vocab}, {"merges", merge_list}}},
      {"added_tokens", boost::json::array{}}};
}

std::vector<std::string> pieces(const Tokenizer& t, const std::vector<std::uint32_t>& ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(t.piece(id));
  return out;
}

TEST(ByteLevelBpe, MergesLowestRankFirstAndLeftmostOnTies) {
  TempDir dir;
  // "ab" ranks before "bc": "abc" -> ab c (not a bc). "aaa" with (a,a): leftmost -> aa a.
  const auto file = dir.write("tokenizer.json", boost::json::serialize(tiny_tokenizer({{"a", "b"}, {"b", "c"}, {"a", "a"}})));
  const auto t = load_byte_level_bpe(file);
  EXPECT_THAT(pieces(*t, t->encode("abc")), ElementsAre("ab", "c"));
  EXPECT_THAT(pieces(*t, t->encode("bc")), ElementsAre("bc"));
  EXPECT_THAT(pieces(*t, t->encode("aaa")), ElementsAre("aa", "a"));
  // The GPT-2 regex splits words: " ab" is one piece whose space stays a byte token.
  EXPECT_THAT(pieces(*t, t->encode("ab ab")), ElementsAre("ab", " ", "ab"));
  EXPECT_EQ(t->decode(t->encode("ab ab\x01\xff")), "ab ab\x01\xff");
}

TEST(ByteLevelBpe, IgnoreMergesTakesAWholeWordFromTheVocabulary) {
  TempDir dir;
  // "abc" is in the vocabulary but no merge path reaches it ((a,b) then nothing joins ab+c).
  auto json = tiny_tokenizer({{"a", "b"}, {"b", "c"}});
  json["model"].as_object()["vocab"].as_object()[std::string("abc")] = 999;
  const auto plain = dir.write("plain.json", boost::json::serialize(json));
  json["model"].as_object()["ignore_merges"] = true;
  const auto ignoring = dir.write("ignoring.json", boost::json::serialize(json));
  EXPECT_THAT(pieces(*load_byte_level_bpe(plain), load_byte_level_bpe(plain)->encode("abc")), ElementsAre("ab", "c"));
  EXPECT_THAT(load_byte_level_bpe(ignoring)->encode("abc"), ElementsAre(999u));
}

TEST(ByteLevelBpe, AddedTokensAreCutOutFirstLongestFirst) {
  TempDir dir;
  auto json = tiny_tokenizer({{"a", "b"}});
  json["added_tokens"] = boost::json::array{
      {{"id", 1000}, {"content", "<|x|>"}, {"special", true}},
      {{"id", 1001}, {"content", "<|x|>y"}, {"special", true}},
  };
  const auto t = load_byte_level_bpe(dir.write("t.json", boost::json::serialize(json)));
  const auto ids = t->encode("ab<|x|>yab<|x|>");
  EXPECT_THAT(ids, ElementsAre(256u, 1001u, 256u, 1000u));
  EXPECT_TRUE(t->is_special(1000));
  EXPECT_FALSE(t->is_special(256));
  EXPECT_EQ(t->piece(1000), "");
  EXPECT_EQ(t->decode(ids), "ab<|x|>yab<|x|>");
}

TEST(ByteLevelBpe, ErrorsNameTheFileAndTheField) {
  TempDir dir;
  const auto expect_error = [&](const boost::json::object& json, const std::string& field) {
    const auto file = dir.write("bad.json", boost::json::serialize(json));
    try {
      load_byte_level_bpe(file);
      ADD_FAILURE() << "no error for " << field;
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(), HasSubstr(file.string()));
      EXPECT_THAT(e.what(), HasSubstr(field));
    }
  };
  auto json = tiny_tokenizer({{"a", "b"}});
  json["model"].as_object()["merges"].as_array().emplace_back("x zz");
  expect_error(json, "model.merges[1]");
  json = tiny_tokenizer({});
  json["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "_"}};
  expect_error(json, "pre_tokenizer.type");
  json = tiny_tokenizer({});
  json["model"].as_object()["byte_fallback"] = true;
  expect_error(json, "model.byte_fallback");
  json = tiny_tokenizer({});
  json["pre_tokenizer"] = {{"type", "Sequence"},
                           {"pretokenizers", {{{"type", "Split"}, {"pattern", {{"Regex", "(["}}}, {"behavior", "Isolated"}},
                                              {{"type", "ByteLevel"}}}}};
  expect_error(json, "pre_tokenizer.pretokenizers[0].pattern");
  json = tiny_tokenizer({});
  json["model"].as_object()["vocab"].as_object().erase(alphabet('q'));
  expect_error(json, "has no token for byte 0x71");

  const auto broken = dir.write("broken.json", "{\"model\": ");
  EXPECT_THROW(load_byte_level_bpe(broken), InputError);
  EXPECT_THROW(load_byte_level_bpe(dir.path() / "missing.json"), InputError);
}

// ---- Llama 3, token for token against transformers.js -------------------------------------

const std::string& kLlama3 = testing::kLlama3TokenizerJson;

std::vector<std::string> corpus() {
  std::vector<std::string> texts = {
      "Hello, my dog is cute",
      "I'LL see you, DON'T worry; we've they'd she's",
      "    indented\n\n\n\ttabs\r\nand   many spaces   ",
      "numbers 1 12 123 1234 12345678901 3.14159 -42 1e10",
      "def f(x):\n    return x**2  # comment\n\nprint(f(3))",
      "日本語のテキストと中文和한국어",
      "emoji 🎉🎉 and combined 👩‍👩‍👧 flags 🇫🇷",
      "accents: café naïve Zürich ñandú résumé",
      "special <|begin_of_text|> inside <|eot_id|>text<|end_of_text|>",
      "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
      std::string(3000, 'a'),
      std::string(500, '=') + std::string(200, ' ') + "x",
      "",
      " ",
      "\n",
      "a  b   c    d",
  };
  // Seeded mixtures of the classes the pre-tokenizer regex distinguishes.
  const std::vector<std::string> parts = {"the", " of", "And", "'s", "'T", "'ll", " ", "  ", "\n", "\r\n", "\t",
                                          "7",   "42",  "9999", ".", ",", "!?", "(", ")", "{}", "é", "ß", "Ж",
                                          "中",  "文", "😀",  "—", "…", "$", "_x_", "camelCase", "UPPER"};
  std::mt19937 rng(20261202);
  std::uniform_int_distribution<std::size_t> pick(0, parts.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  for (int i = 0; i < 300; ++i) {
    std::string s;
    for (int n = length(rng); n > 0; --n) s += parts[pick(rng)];
    texts.push_back(std::move(s));
  }
  return texts;
}

TEST(ByteLevelBpeLlama3, MatchesTransformersJsTokenForToken) {
  ASSERT_TRUE(std::filesystem::exists(kLlama3)) << kLlama3 << " is missing: scripts/install-deps.sh installs it";
  TempDir dir;
  const auto texts = corpus();
  boost::json::array list;
  for (const auto& t : texts) list.emplace_back(t);
  const auto strings = dir.write("strings.json", boost::json::serialize(list));
  const std::string reference =
      testing::run_command("node " LLMBENCH_SOURCE_DIR "/tests/tokenizer/encode_reference.mjs '" + kLlama3 + "' '" + strings.string() + "'");
  boost::system::error_code ec;
  const auto expected = boost::json::parse(reference, ec);
  ASSERT_FALSE(ec) << "node reference failed: " << reference.substr(0, 500);
  ASSERT_EQ(expected.as_array().size(), texts.size());

  const auto t = load_byte_level_bpe(kLlama3);
  EXPECT_EQ(t->vocab_size(), 128256u);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::vector<std::uint32_t> want;
    for (const auto& id : expected.as_array()[i].as_array()) want.push_back(static_cast<std::uint32_t>(id.as_int64()));
    const auto got = t->encode(texts[i]);
    EXPECT_EQ(got, want) << "text #" << i << ": \"" << texts[i].substr(0, 80) << "\"";
    EXPECT_EQ(t->decode(got), texts[i]) << "text #" << i;
  }
}

}  // namespace
}  // namespace llmbench::tokenizer
