// The mock's request-body parser: any bytes, every API, never throws, and what it accepts is
// within the documented bounds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string_view>
#include <variant>

#include "mock_provider/request_parser.h"
#include "tests/fuzz/fuzz_support.h"

using llmbench::fuzz::fuzz_check;
using llmbench::mock::ApiKind;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = llmbench::fuzz::as_text(data, size);
  for (const ApiKind api :
       {ApiKind::chat_completions, ApiKind::completions, ApiKind::ollama_chat, ApiKind::ollama_generate,
        ApiKind::anthropic_messages, ApiKind::responses}) {
    try {
      const auto parsed = llmbench::mock::parse_generation_request(api, body);
      if (const auto* request = std::get_if<llmbench::mock::GenerationRequest>(&parsed)) {
        fuzz_check(request->api == api, "the parsed request names another API");
        fuzz_check(request->choices >= 1, "a request with no choices");
      } else {
        fuzz_check(!std::get<llmbench::mock::RequestProblem>(parsed).message.empty(), "a 400 without a message");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      llmbench::fuzz::fuzz_fail("parse_generation_request threw");
    }
  }
  return 0;
}
