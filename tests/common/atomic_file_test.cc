#include "common/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace llmbench {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("llmbench_atomic_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, creates_parents_and_writes_content) {
  const fs::path target = dir_ / "a" / "b" / "report.json";
  write_file_atomically(target, "{\"x\":1}");
  EXPECT_EQ(read_all(target), "{\"x\":1}");
}

TEST_F(AtomicFileTest, replaces_previous_file_and_leaves_no_temporaries) {
  const fs::path target = dir_ / "report.json";
  write_file_atomically(target, "old");
  write_file_atomically(target, "new content");
  EXPECT_EQ(read_all(target), "new content");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(AtomicFileTest, failure_keeps_the_previous_file) {
  const fs::path target = dir_ / "report.json";
  write_file_atomically(target, "precious");
  // A directory in the way of the rename makes the write fail after the temp file was written.
  const fs::path blocked = dir_ / "blocked";
  fs::create_directories(blocked / "child");
  EXPECT_THROW(write_file_atomically(blocked, "x"), std::system_error);
  EXPECT_EQ(read_all(target), "precious");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 2);  // report.json and blocked/, no temporaries
}

}  // namespace
}  // namespace llmbench
