// report.json reader: any bytes are either a report or an InputError; a report that was read
// writes back to text that reads again to the same text (nothing is lost or invented).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "tests/fuzz/fuzz_support.h"

using llmbench::fuzz::fuzz_check;
using llmbench::fuzz::fuzz_fail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = llmbench::fuzz::as_text(data, size);
  llmbench::result::RunReport report;
  try {
    report = llmbench::result::report_from_json(text, "fuzz.json");
  } catch (const llmbench::InputError& e) {
    fuzz_check(std::string_view(e.what()).find("fuzz.json") != std::string_view::npos,
               "an InputError that does not name the file");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", typeid(e).name(), e.what());
    fuzz_fail("a bad report threw something other than llmbench::InputError");
  } catch (...) {
    fuzz_fail("a bad report threw a non-std exception");
  }

  std::string written;
  try {
    written = llmbench::result::to_json_text(report);
    const std::string rewritten =
        llmbench::result::to_json_text(llmbench::result::report_from_json(written, "written.json"));
    fuzz_check(rewritten == written, "a report read back from its own text writes different text");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n--- written:\n%s\n", typeid(e).name(), e.what(), written.c_str());
    fuzz_fail("a report that was read cannot be written and read back");
  }
  return 0;
}
