// The gold-file helper itself: updating must never let a test pass (it used to GTEST_SKIP, so a
// CI run with LLMBENCH_UPDATE_GOLD=1 rewrote every gold file and still went green).
#include "tests/reports/gold_file.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <unistd.h>

namespace llmbench::testing {
namespace {

namespace fs = std::filesystem;

// Sets or clears LLMBENCH_UPDATE_GOLD for one test and restores the previous value.
class UpdateGoldVariable {
 public:
  explicit UpdateGoldVariable(const char* value) {
    if (const char* old = std::getenv(kName)) previous_ = old;
    if (value != nullptr) {
      ::setenv(kName, value, 1);
    } else {
      ::unsetenv(kName);
    }
  }
  ~UpdateGoldVariable() {
    if (previous_) {
      ::setenv(kName, previous_->c_str(), 1);
    } else {
      ::unsetenv(kName);
    }
  }
  UpdateGoldVariable(const UpdateGoldVariable&) = delete;
  UpdateGoldVariable& operator=(const UpdateGoldVariable&) = delete;

 private:
  static constexpr const char* kName = "LLMBENCH_UPDATE_GOLD";
  std::optional<std::string> previous_;
};

class GoldFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("llmbench_gold_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = dir_ / "sample.txt";
    write_file_atomically(path_, "old\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string content() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
  fs::path path_;
};

TEST_F(GoldFileTest, UpdatingRewritesTheFileAndFails) {
  const UpdateGoldVariable update("1");
  EXPECT_NONFATAL_FAILURE(expect_matches_gold_file(path_, "new\n"),
                          "rewritten (changed); review the diff and rerun without LLMBENCH_UPDATE_GOLD");
  EXPECT_EQ(content(), "new\n");
}

TEST_F(GoldFileTest, UpdatingFailsEvenWhenNothingChanged) {
  const UpdateGoldVariable update("1");
  EXPECT_NONFATAL_FAILURE(expect_matches_gold_file(path_, "old\n"),
                          "rewritten (unchanged); review the diff and rerun without LLMBENCH_UPDATE_GOLD");
  EXPECT_EQ(content(), "old\n");
}

TEST_F(GoldFileTest, WithoutUpdatingAMatchPassesAndADifferenceFailsWithoutWriting) {
  const UpdateGoldVariable update(nullptr);
  expect_matches_gold_file(path_, "old\n");
  EXPECT_NONFATAL_FAILURE(expect_matches_gold_file(path_, "new\n"), "output differs from");
  EXPECT_EQ(content(), "old\n");
}

TEST_F(GoldFileTest, OnlyTheValueOneUpdates) {
  const UpdateGoldVariable update("0");
  EXPECT_NONFATAL_FAILURE(expect_matches_gold_file(path_, "new\n"), "output differs from");
  EXPECT_EQ(content(), "old\n");
}

}  // namespace
}  // namespace llmbench::testing
