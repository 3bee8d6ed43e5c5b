// ChunkDecoder: any bytes, both API flavours, chunk and whole-response mode. The decoder is
// reused across inputs (as on the hot path); its answer must equal a fresh decoder's.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/client/chunk_decoder.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using llmbench::fuzz::fuzz_check;
using llmbench::harness::ApiFlavor;
using llmbench::harness::ChunkDecoder;
using llmbench::harness::DecodedChunk;

// DecodedChunk with owned strings, so answers outlive the decoder's buffer.
struct Owned {
  std::string content;
  std::string finish_reason;
  bool has_usage = false;
  std::uint32_t prompt_tokens = 0;
  std::uint32_t completion_tokens = 0;
  bool done = false;
  bool is_error = false;
  std::string error_message;
  friend bool operator==(const Owned&, const Owned&) = default;
};

std::optional<Owned> own(const std::optional<DecodedChunk>& chunk) {
  if (!chunk) return std::nullopt;
  return Owned{std::string(chunk->content),    std::string(chunk->finish_reason), chunk->has_usage,
               chunk->prompt_tokens,           chunk->completion_tokens,          chunk->done,
               chunk->is_error,                std::string(chunk->error_message)};
}

std::optional<Owned> decode(ChunkDecoder& decoder, ApiFlavor flavor, bool whole_response, std::string_view json) {
  return own(whole_response ? decoder.decode_response(flavor, json) : decoder.decode_chunk(flavor, json));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ChunkDecoder reused;
  const std::string_view json = llmbench::fuzz::as_text(data, size);
  for (const ApiFlavor flavor : {ApiFlavor::openai_chat, ApiFlavor::ollama_chat, ApiFlavor::openai_completions,
                                 ApiFlavor::anthropic_messages, ApiFlavor::openai_responses}) {
    for (const bool whole_response : {false, true}) {
      ChunkDecoder fresh;
      const std::optional<Owned> expected = decode(fresh, flavor, whole_response, json);
      fuzz_check(decode(reused, flavor, whole_response, json) == expected,
                 "a reused decoder answers differently from a fresh one");
      if (expected && !expected->is_error) {
        fuzz_check(expected->error_message.empty(), "an error message without is_error");
      }
    }
  }
  return 0;
}
