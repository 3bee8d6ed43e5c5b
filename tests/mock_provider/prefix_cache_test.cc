#include "mock_provider/prefix_cache.h"

#include "mock_provider/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace llmbench::mock {
namespace {

std::string chat_body(const std::string& content) {
  return R"({"model": "m", "messages": [{"role": "user", "content": ")" + content + R"("}]})";
}

// The blocks the mock names while it parses a request, as it does with the prefix cache on.
std::vector<std::uint64_t> blocks_of(ApiKind api, const std::string& body, std::uint32_t block_tokens = 16) {
  return std::get<GenerationRequest>(parse_generation_request(api, body, block_tokens)).prefix_blocks;
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

TEST(PrefixBlocks, EqualPrefixesGiveEqualLeadingBlocksAndNothingAfterADifference) {
  const std::string shared(200, 'a');  // 200 characters = 50 tokens: 3 whole blocks of 16 tokens
  const auto a = blocks_of(ApiKind::chat_completions, chat_body(shared + std::string(100, 'x')));
  const auto b = blocks_of(ApiKind::chat_completions, chat_body(shared + std::string(100, 'y')));
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GE(a.size(), 4u);
  // 200 shared characters: the first 3 blocks (64 characters each) are identical.
  EXPECT_EQ(a[0], b[0]);
  EXPECT_EQ(a[1], b[1]);
  EXPECT_EQ(a[2], b[2]);
  EXPECT_NE(a[3], b[3]);
  // Chained: the same block text after a different prefix is a different block.
  const auto c = blocks_of(ApiKind::chat_completions, chat_body(std::string(64, 'q') + shared));
  EXPECT_NE(c[1], a[0]);
  // A partial block is never cached; a legacy completion hashes its prompt.
  EXPECT_TRUE(blocks_of(ApiKind::completions, R"({"model": "m", "prompt": "short"})").empty());
  EXPECT_EQ(blocks_of(ApiKind::completions, R"({"model": "m", "prompt": ")" + shared + "\"}").size(), 3u);
  // Every API's prompt is read the same way: Anthropic's system prompt opens it, the Responses
  // API's input is its text; without the cache no blocks are named.
  const auto anthropic = blocks_of(ApiKind::anthropic_messages,
                                   R"({"model": "m", "max_tokens": 8, "system": ")" + shared +
                                       R"(", "messages": [{"role": "user", "content": "hi"}]})");
  EXPECT_EQ(anthropic, std::vector<std::uint64_t>(a.begin(), a.begin() + 3));
  EXPECT_EQ(blocks_of(ApiKind::responses, R"({"model": "m", "input": ")" + shared + "\"}"),
            std::vector<std::uint64_t>(a.begin(), a.begin() + 3));
  EXPECT_TRUE(blocks_of(ApiKind::chat_completions, chat_body(shared), 0).empty());
}

}  // namespace
}  // namespace llmbench::mock
