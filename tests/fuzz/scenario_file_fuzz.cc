// Scenario files: any text, with any --set overrides, is either a suite or an InputError.
// Leading lines "#--set KEY=VALUE" (TOML comments) are passed as overrides.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "common/input_error.h"
#include "harness/scenario/scenario_file.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr std::string_view kOverridePrefix = "#--set ";

// Relative prompt files resolve here, which does not exist: the parser only stats them.
const char* const kBaseDir = "/nonexistent/llmbench-fuzz";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = llmbench::fuzz::as_text(data, size);
  try {
    std::vector<llmbench::scenario::Override> overrides;
    std::string_view rest = text;
    while (rest.starts_with(kOverridePrefix)) {
      const std::size_t eol = rest.find('\n');
      const std::string_view line = rest.substr(kOverridePrefix.size(), eol == std::string_view::npos
                                                                            ? std::string_view::npos
                                                                            : eol - kOverridePrefix.size());
      overrides.push_back(llmbench::scenario::parse_override(line));
      if (eol == std::string_view::npos) break;
      rest.remove_prefix(eol + 1);
    }
    llmbench::scenario::parse_suite(text, "fuzz.toml", overrides, kBaseDir);
  } catch (const llmbench::InputError& e) {
    llmbench::fuzz::fuzz_check(std::string_view(e.what()).size() > 0, "an InputError without a message");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", typeid(e).name(), e.what());
    llmbench::fuzz::fuzz_fail("bad scenario text threw something other than llmbench::InputError");
  } catch (...) {
    llmbench::fuzz::fuzz_fail("bad scenario text threw a non-std exception");
  }
  return 0;
}
