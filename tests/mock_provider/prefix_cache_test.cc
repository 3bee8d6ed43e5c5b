#include "mock_provider/prefix_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace llmbench::mock {
namespace {

std::string chat_body(const std::string& content) {
  return R"({"model": "m", "messages": [{"role": "user", "content": ")" + content + R"("}]})";
}

TEST(PrefixCache, CountsLeadingCachedBlocksThenCachesAll) {
  PrefixCache cache(100);
  EXPECT_EQ(cache.lookup_and_insert({1, 2, 3}), 0u);
  EXPECT_EQ(cache.lookup_and_insert({1, 2, 3}), 3u);
  EXPECT_EQ(cache.lookup_and_insert({1, 2, 9, 3}), 2u);  // only the leading run counts
  EXPECT_EQ(cache.lookup_and_insert({7, 1}), 0u);
}

TEST(PrefixCache, TheLeastRecentlyUsedBlocksLeaveWhenFull) {
  PrefixCache cache(3);
  cache.lookup_and_insert({1, 2, 3});
  cache.lookup_and_insert({1});  // 1 is now the most recent
  cache.lookup_and_insert({4});  // evicts 2, the least recent
  EXPECT_EQ(cache.lookup_and_insert({1}), 1u);
  EXPECT_EQ(cache.lookup_and_insert({2}), 0u);
}

TEST(PromptBlockHashes, EqualPrefixesGiveEqualLeadingBlocksAndNothingAfterADifference) {
  const std::string shared(200, 'a');  // 200 characters = 50 tokens: 3 whole blocks of 16 tokens
  const auto a = prompt_block_hashes(ApiKind::chat_completions, chat_body(shared + std::string(100, 'x')), 16);
  const auto b = prompt_block_hashes(ApiKind::chat_completions, chat_body(shared + std::string(100, 'y')), 16);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GE(a.size(), 4u);
  // "user\n" + 200 shared characters: the first 3 blocks (64 characters each) are identical.
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(a[1], b[1]);
  EXPECT_EQ(a[2], b[2]);
  EXPECT_NE(a[3], b[3]);
  // Chained: the same block text after a different prefix is a different block.
  const auto c = prompt_block_hashes(ApiKind::chat_completions, chat_body(std::string(64, 'q') + shared), 16);
  EXPECT_NE(c[1], a[0]);
  // A partial block is never cached; a legacy completion hashes its prompt.
  EXPECT_TRUE(prompt_block_hashes(ApiKind::completions, R"({"model": "m", "prompt": "short"})", 16).empty());
  EXPECT_EQ(prompt_block_hashes(ApiKind::completions, R"({"model": "m", "prompt": ")" + shared + "\"}", 16).size(), 3u);
}

}  // namespace
}  // namespace llmbench::mock
