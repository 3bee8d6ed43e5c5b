// The run's output directory: problems found before measuring, earlier reports kept.
#include "reports/output_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/input_error.h"

namespace llmbench::reports {
namespace {

namespace fs = std::filesystem;

class OutputDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "llmbench-outdir-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  fs::path dir_;
};

TEST_F(OutputDirTest, CreatesAMissingDirectoryAndLeavesNoProbeBehind) {
  const fs::path out = dir_ / "a" / "b";
  check_output_dir(out, "--out");
  EXPECT_TRUE(fs::is_directory(out));
  EXPECT_TRUE(fs::is_empty(out));
}

TEST_F(OutputDirTest, RefusesAFileAPathUnderAFileAndAReportPathThatIsADirectory) {
  write(dir_ / "file", "x");
  try {
    check_output_dir(dir_ / "file", "--out");
    FAIL() << "accepted a file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--out: " + (dir_ / "file").string()), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(check_output_dir(dir_ / "file" / "sub", "--out"), InputError);
  fs::create_directories(dir_ / "out" / "report.html");
  EXPECT_THROW(check_output_dir(dir_ / "out", "--out"), InputError);
}

TEST_F(OutputDirTest, KeepsEveryFormatOfThePreviousRunTogetherAndNeverOverwritesAKeptRun) {
  EXPECT_TRUE(keep_previous_reports(dir_).empty()) << "nothing to keep in an empty directory";
  write(dir_ / "report.json", "first json");
  write(dir_ / "report.html", "first html");
  write(dir_ / "other.txt", "not a report");
  const fs::path first = keep_previous_reports(dir_);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.parent_path(), dir_ / "previous");
  EXPECT_EQ(read(first / "report.json"), "first json");
  EXPECT_EQ(read(first / "report.html"), "first html");
  EXPECT_FALSE(fs::exists(dir_ / "report.json"));
  EXPECT_TRUE(fs::exists(dir_ / "other.txt"));

  // A second run with the same timestamp gets its own folder.
  write(dir_ / "report.json", "second json");
  fs::last_write_time(dir_ / "report.json", fs::last_write_time(first / "report.json"));
  const fs::path second = keep_previous_reports(dir_);
  ASSERT_FALSE(second.empty());
  EXPECT_NE(second, first);
  EXPECT_EQ(read(second / "report.json"), "second json");
  EXPECT_EQ(read(first / "report.json"), "first json");
}

}  // namespace
}  // namespace llmbench::reports
