// Renders the HTML report in headless Chromium (Debian's chromium package): the page must
// parse, draw its SVG charts and take a non-trivial screenshot, all without network access.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "reports/formatters.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class HtmlBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " not installed";
    dir_ = fs::temp_directory_path() / ("llmbench_html_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "profile");
    write_file_atomically(dir_ / "report.html", format_html(testing::crafted_report()));
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Runs chromium with a fresh profile and a hard time limit; returns its exit status.
  int chromium(const std::string& action, const fs::path& stdout_file) {
    const std::string command =
        "timeout 120 " + std::string(kChromium) +
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
        " --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=" +
        (dir_ / "profile").string() + " " + action + " file://" + (dir_ / "report.html").string() + " > " +
        stdout_file.string() + " 2> " + (dir_ / "stderr.txt").string();
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path dir_;
};

TEST_F(HtmlBrowserTest, DomContainsTheRenderedCharts) {
  ASSERT_EQ(chromium("--dump-dom", dir_ / "dom.html"), 0) << read_all(dir_ / "stderr.txt");
  const std::string dom = read_all(dir_ / "dom.html");
  std::size_t svgs = 0;
  for (std::size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1)) ++svgs;
  EXPECT_GE(svgs, 8u);
  EXPECT_NE(dom.find("<h1>llmbench report</h1>"), std::string::npos);
  EXPECT_NE(dom.find("stream-coroutine"), std::string::npos);
  // Every line chart as the browser parsed it: numbered x-axis, one legend entry per series
  // (a reference line shares its owner's title and entry).
  std::size_t line_charts = 0;
  for (std::size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1)) {
    const std::string chart = dom.substr(at, dom.find("</svg>", at) - at);
    if (chart.find("fill=\"none\"") == std::string::npos) continue;  // bars
    ++line_charts;
    std::size_t ticks = 0;
    for (std::size_t t = chart.find("x-tick"); t != std::string::npos; t = chart.find("x-tick", t + 1)) ++ticks;
    EXPECT_GE(ticks, 2u) << chart.substr(0, 200);
    std::set<std::string> titles;
    for (std::size_t p = chart.find("fill=\"none\""); p != std::string::npos; p = chart.find("fill=\"none\"", p + 1)) {
      const std::size_t open = chart.find("<title>", p), close = chart.find("</title>", open);
      titles.insert(chart.substr(open + 7, close - open - 7));
    }
    std::size_t legend = 0;
    for (std::size_t l = chart.find("class=\"legend\""); l != std::string::npos;
         l = chart.find("class=\"legend\"", l + 1))
      ++legend;
    EXPECT_EQ(legend, titles.size()) << chart.substr(0, 200);
  }
  EXPECT_GE(line_charts, 10u);
}

TEST_F(HtmlBrowserTest, ScreenshotIsAPictureNotABlankPage) {
  const fs::path png = dir_ / "shot.png";
  ASSERT_EQ(chromium("--window-size=1280,2000 --screenshot=" + png.string(), dir_ / "out.txt"), 0)
      << read_all(dir_ / "stderr.txt");
  ASSERT_TRUE(fs::exists(png));
  const std::string bytes = read_all(png);
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  // A blank 1280x2000 page compresses to a few kB; charts, text and tables do not.
  EXPECT_GT(bytes.size(), 40'000u);
}

}  // namespace
}  // namespace llmbench::reports
