// No lost results: a bad --out is found before the first request (exit 2, nothing measured),
// and a run into a directory holding another run's reports keeps them in previous/.
#include <gtest/gtest.h>

#include <string>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

class OutputDirTest : public CliTest {
 protected:
  // A short ad-hoc run against the embedded mock.
  ProcessResult run_into(const fs::path& out, const std::string& formats = "json") {
    return llmbench(
        concat({"run", "--requests", "3", "--out", out.string(), "--format", formats}, fast_mock()));
  }
};

TEST_F(OutputDirTest, ExistingFileAsOutIsRefusedBeforeMeasuring) {
  const fs::path file = path("results.txt");
  write_text(file, "keep me");
  const ProcessResult r = run_into(file);
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "--out: " + file.string())) << r.err;
  EXPECT_TRUE(contains(r.err, "not a directory")) << r.err;
  // Refused before measuring: no step ran.
  EXPECT_FALSE(contains(r.err, " ok, ")) << r.err;
  EXPECT_EQ(read_text(file), "keep me");
}

TEST_F(OutputDirTest, UnwritableOutIsRefusedBeforeMeasuring) {
  // Tests run as root, which ignores permission bits: a path under a regular file, and /proc,
  // cannot be created by anyone.
  write_text(path("plain"), "x");
  for (const fs::path& out : {path("plain") / "sub", fs::path("/proc/llmbench-no-such-dir/out")}) {
    const ProcessResult r = run_into(out);
    EXPECT_EQ(r.exit_code, 2) << out << "\n" << r.all();
    EXPECT_TRUE(contains(r.err, "--out: " + out.string())) << r.err;
    EXPECT_TRUE(contains(r.err, "cannot create the output directory")) << r.err;
    EXPECT_FALSE(contains(r.err, " ok, ")) << r.err;
  }
}

TEST_F(OutputDirTest, ReportFileTakenByADirectoryIsRefused) {
  fs::create_directories(path("out") / "report.json");
  const ProcessResult r = run_into(path("out"));
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "report.json exists and is not a regular file")) << r.err;
}

TEST_F(OutputDirTest, PreviousReportsAreKeptInPreviousWithEveryFormat) {
  const fs::path out = path("out");
  ASSERT_EQ(run_into(out, "json,md,csv").exit_code, 0);
  const std::string first_json = read_text(out / "report.json");
  const std::string first_md = read_text(out / "report.md");
  write_text(out / "notes.txt", "not a report");

  const ProcessResult second = run_into(out, "json");
  ASSERT_EQ(second.exit_code, 0) << second.all();
  EXPECT_TRUE(contains(second.err, "moved the previous reports in " + out.string() + " to ")) << second.err;

  // The new run's report is in place; the old one, with all its formats, is under previous/.
  ASSERT_TRUE(fs::is_directory(out / "previous"));
  std::vector<fs::path> kept;
  for (const auto& entry : fs::directory_iterator(out / "previous")) kept.push_back(entry.path());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(read_text(kept[0] / "report.json"), first_json);
  EXPECT_EQ(read_text(kept[0] / "report.md"), first_md);
  EXPECT_TRUE(fs::exists(kept[0] / "report.csv"));
  EXPECT_NE(read_text(out / "report.json"), first_json);
  // Not a report of the old run's formats left beside the new one, and other files untouched.
  EXPECT_FALSE(fs::exists(out / "report.md"));
  EXPECT_FALSE(fs::exists(out / "report.csv"));
  EXPECT_EQ(read_text(out / "notes.txt"), "not a report");

  // A third run keeps the second one next to the first.
  ASSERT_EQ(run_into(out).exit_code, 0);
  std::size_t runs = 0;
  for (const auto& entry : fs::directory_iterator(out / "previous")) runs += entry.is_directory() ? 1 : 0;
  EXPECT_EQ(runs, 2u);
}

}  // namespace
}  // namespace llmbench::clitest
