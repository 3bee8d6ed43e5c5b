// The SVG charts of the HTML report: numbered axes at any range, a legend that names every
// series in full, no two series drawn alike, error bars for repetitions.
#include "reports/svg_chart.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace llmbench::reports::svg {
namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::vector<Series> many_series(std::size_t n) {
  std::vector<Series> series;
  for (std::size_t i = 0; i < n; ++i) {
    Series s;
    s.label = "coroutine-stream concurrency=" + std::to_string(1 << i) + " (coroutine stream, long name)";
    for (double x : {50.0, 55.0, 60.0}) s.points.emplace_back(x + static_cast<double>(i), x / 100);
    series.push_back(std::move(s));
  }
  return series;
}

TEST(AxisTicksTest, ALogAxisWithinOneDecadeStillCarriesNumbers) {
  const std::vector<double> ticks = axis_ticks(52, 68, true);
  ASSERT_GE(ticks.size(), 3u);
  for (double t : ticks) {
    EXPECT_GE(t, 52);
    EXPECT_LE(t, 68);
  }
  EXPECT_EQ(axis_ticks(1, 1000, true), (std::vector<double>{1, 10, 100, 1000}));
  EXPECT_EQ(axis_ticks(30, 400, true), (std::vector<double>{50, 100, 200}));
  EXPECT_EQ(axis_ticks(0, 1, false), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
}

TEST(LineChartTest, EveryLineChartPrintsXAxisNumbersForNarrowCdfs) {
  ChartSpec spec;
  spec.log_x = true;
  spec.step_line = true;
  const std::string svg = line_chart(spec, {Series{"ttft", {{52, 0.1}, {60, 0.5}, {68, 1}}, {}, {}, {}}});
  EXPECT_GE(count(svg, "class=\"tick x-tick\""), 3u);
}

// A step shorter than a second has one point over time: its axis is still numbered.
TEST(LineChartTest, ASinglePointStillGetsANumberedAxis) {
  const std::string svg = line_chart(ChartSpec{}, {Series{"one", {{0.5, 12}}, {}, {}, {}}});
  EXPECT_GE(count(svg, "class=\"tick x-tick\""), 2u);
}

TEST(LineChartTest, TheLegendNamesEverySeriesInFull) {
  const std::vector<Series> series = many_series(18);
  const std::string svg = line_chart(ChartSpec{}, series);
  for (const Series& s : series) {
    // The label may wrap over tspans, but every word of it is there, in order.
    std::string flat = std::regex_replace(svg, std::regex("</tspan><tspan[^>]*>"), " ");
    EXPECT_NE(flat.find(s.label), std::string::npos) << s.label;
  }
  EXPECT_EQ(count(svg, "class=\"legend\""), 18u);
}

TEST(LineChartTest, NoTwoSeriesAreDrawnAlike) {
  const std::string svg = line_chart(ChartSpec{}, many_series(24));
  const std::regex path(
      "<path d=\"[^\"]*\" fill=\"none\" stroke=\"(#[0-9a-f]+)\" stroke-width=\"2\"([^>]*)>");
  std::set<std::string> looks;
  std::size_t paths = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), path); it != std::sregex_iterator(); ++it) {
    ++paths;
    looks.insert((*it)[1].str() + (*it)[2].str());
  }
  EXPECT_EQ(paths, 24u);
  EXPECT_EQ(looks.size(), 24u);
}

TEST(LineChartTest, ReferenceLinesBorrowTheirOwnersColourAndStayOutOfTheLegend) {
  Series measured{"measured", {{1, 10}, {4, 30}}, {}, Stroke::solid, {}};
  Series ideal{"measured", {{1, 12}, {4, 48}}, {}, Stroke::dashed, 0};
  const std::string svg = line_chart(ChartSpec{}, {measured, ideal});
  EXPECT_EQ(count(svg, "class=\"legend\""), 1u);
  EXPECT_EQ(count(svg, "stroke=\"#1f77b4\" stroke-width=\"2\""), 2u);
  EXPECT_EQ(count(svg, "stroke-dasharray=\"7 4\""), 1u);  // only the reference line is dashed
}

TEST(LineChartTest, RangesBecomeErrorBarsAndRaiseTheAxis) {
  Series s{"reps", {{1, 10}, {4, 30}}, {{9, 11}, {30, 30}}, Stroke::solid, {}};
  const std::string svg = line_chart(ChartSpec{}, {s});
  EXPECT_EQ(count(svg, "class=\"error-bar\""), 1u);  // the second point has no spread
  EXPECT_NE(svg.find("(repetitions 9"), std::string::npos) << svg;
}

TEST(BarChartTest, BarsKeepTheirFullNamesInTheLegendAndShowTheirSpread) {
  const std::string label = "invoke-threaded-with-a-long-scenario-name (threaded invoke)";
  const std::string svg =
      bar_chart(ChartSpec{}, {Bar{label, 25, std::make_pair(20.0, 30.0)}, Bar{"b", 5, {}}});
  EXPECT_NE(svg.find(label), std::string::npos);
  EXPECT_EQ(count(svg, "class=\"error-bar\""), 1u);
}

}  // namespace
}  // namespace llmbench::reports::svg
