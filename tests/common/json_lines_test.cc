#include "common/json_lines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/input_error.h"

namespace llmbench {
namespace {

using ::testing::HasSubstr;

TEST(JsonLines, SkipsBlankLinesAndNamesEachLineByItsNumber) {
  std::istringstream in("{\"a\": 1}\n\n  \r\n[2]\n\"three\"\n");
  std::vector<std::string> seen;
  for_each_json_line(in, "f.jsonl", [&](const JsonLine& line) {
    seen.push_back(line.where + "=" + boost::json::serialize(line.value) + "#" + std::to_string(line.number));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"f.jsonl:1={\"a\":1}#1", "f.jsonl:4=[2]#4", "f.jsonl:5=\"three\"#5"}));
}

TEST(JsonLines, ABadLineIsAnInputErrorNamingFileAndLine) {
  std::istringstream in("{}\n{nope\n");
  int calls = 0;
  EXPECT_THAT([&] { for_each_json_line(in, "f.jsonl", [&](const JsonLine&) { ++calls; }); },
              ::testing::ThrowsMessage<InputError>(HasSubstr("f.jsonl:2: not valid JSON")));
  EXPECT_EQ(calls, 1);
}

TEST(JsonLines, AFileThatCannotBeOpenedSaysWhatItWas) {
  EXPECT_THAT([] { for_each_json_line("/nonexistent/t.jsonl", "trace file", [](const JsonLine&) {}); },
              ::testing::ThrowsMessage<InputError>(HasSubstr("/nonexistent/t.jsonl: cannot open trace file")));
}

TEST(JsonLines, ReadsAFileALineAtATime) {
  const auto path = std::filesystem::temp_directory_path() / ("llmbench_json_lines_" + std::to_string(::getpid()));
  std::ofstream(path) << "1\n2\n3\n";
  std::int64_t sum = 0;
  for_each_json_line(path, "test file", [&](const JsonLine& line) { sum += line.value.as_int64(); });
  std::filesystem::remove(path);
  EXPECT_EQ(sum, 6);
}

}  // namespace
}  // namespace llmbench
