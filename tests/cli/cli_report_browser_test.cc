// Every shipped scenario (scenarios/*.toml), shortened, run end to end and its report.html
// opened in headless Chromium (Debian's chromium): the page as the browser parsed it has its
// charts, every line chart a numbered x-axis and one legend entry per series. A screenshot
// of each goes to <build>/out/report-screenshots/ for a human to look at.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <set>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

struct Shipped {
  const char* name;
  std::vector<std::string> sets;  // besides a short duration: keep the run to seconds
};

class ReportBrowserTest : public CliTest, public ::testing::WithParamInterface<Shipped> {
 protected:
  int chromium(const std::string& action, const fs::path& html, const fs::path& out) {
    const std::string command = "timeout 120 " + std::string(kChromium) +
                                " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                                " --disable-background-networking --disable-component-update --disable-sync"
                                " --disable-dev-shm-usage --user-data-dir=" +
                                path("profile").string() + " " + action + " file://" + html.string() + " > " +
                                out.string() + " 2> " + path("chromium.err").string();
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST_P(ReportBrowserTest, ChartsHaveNumberedAxesAndCompleteLegends) {
  if (!fs::exists(kChromium)) GTEST_SKIP() << kChromium << " not installed";
  const Shipped& shipped = GetParam();
  std::vector<std::string> args = {"run", std::string(LLMBENCH_SOURCE_DIR) + "/scenarios/" + shipped.name + ".toml",
                                   "--set", "defaults.duration=300ms", "--set", "defaults.warmup=0s", "--format",
                                   "json,html", "--out", path("out").string(), "-q"};
  for (const std::string& set : shipped.sets) args.insert(args.end(), {"--set", set});
  const ProcessResult run = llmbench(args, {}, std::chrono::seconds(300));
  ASSERT_EQ(run.exit_code, 0) << run.all();

  ASSERT_EQ(chromium("--dump-dom", path("out") / "report.html", path("dom.html")), 0)
      << read_text(path("chromium.err"));
  const std::string dom = read_text(path("dom.html"));
  ASSERT_NE(dom.find("<h1>llmbench report</h1>"), std::string::npos);
  std::size_t charts = 0, line_charts = 0;
  for (std::size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1)) {
    ++charts;
    const std::string chart = dom.substr(at, dom.find("</svg>", at) - at);
    const std::string title = chart.substr(0, chart.find('>'));
    if (chart.find("fill=\"none\"") == std::string::npos) {  // bars: a bar and a legend swatch each
      EXPECT_EQ(2 * count(chart, "class=\"legend\""), count(chart, "<rect")) << title;
      continue;
    }
    ++line_charts;
    EXPECT_GE(count(chart, "x-tick"), 2u) << title;
    // Reference lines (ideal, p90/p99) share their owner's title and legend entry.
    std::set<std::string> series;
    for (std::size_t p = chart.find("fill=\"none\""); p != std::string::npos; p = chart.find("fill=\"none\"", p + 1)) {
      const std::size_t open = chart.find("<title>", p), close = chart.find("</title>", open);
      series.insert(chart.substr(open + 7, close - open - 7));
    }
    EXPECT_EQ(count(chart, "class=\"legend\""), series.size()) << title;
  }
  EXPECT_GE(charts, 6u);
  EXPECT_GE(line_charts, 2u);  // at least the CDFs

  const fs::path shots = fs::path(LLMBENCH_BINARY_DIR) / "out" / "report-screenshots";
  fs::create_directories(shots);
  const fs::path png = shots / (std::string(shipped.name) + ".png");
  ASSERT_EQ(chromium("--window-size=1280,2400 --screenshot=" + png.string(), path("out") / "report.html",
                     path("shot.txt")),
            0)
      << read_text(path("chromium.err"));
  EXPECT_GT(fs::file_size(png), 40'000u);  // a picture, not a blank page
}

INSTANTIATE_TEST_SUITE_P(Shipped, ReportBrowserTest,
                         ::testing::Values(Shipped{"quickstart", {}}, Shipped{"ci-gate", {}},
                                           Shipped{"concurrency-sweep", {"scenario.concurrency=[1,4,16,64]"}},
                                           Shipped{"rate-sweep", {}}, Shipped{"saturation", {}}),
                         [](const auto& param_info) {
                           std::string name = param_info.param.name;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace llmbench::clitest
