// compare --html: verdict tables per current run, worse and better rows marked, every run's
// scenarios overlaid on the report charts.
#include "reports/compare_html.h"

#include <gtest/gtest.h>

#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(CompareHtmlTest, MarksVerdictsAndOverlaysRunsOnOneChart) {
  const result::RunReport base = testing::crafted_report();
  const result::RunReport slower = testing::crafted_report(1.5, 1);
  const std::vector<ComparisonRow> rows = compare_reports(base, slower, CompareOptions{});
  const std::string html =
      format_comparison_html({{"base.json", &base}, {"slow.json", &slower}}, {rows}, {"configs differ"});
  EXPECT_NE(html.find("<h2>slow.json against base.json</h2>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"warning\">Warning: configs differ</p>"), std::string::npos);
  std::size_t worse = 0;
  for (const ComparisonRow& r : rows) worse += r.verdict == "worse";
  ASSERT_GT(worse, 0u);
  EXPECT_EQ(count(html, "<tr class=\"worse\">"), worse);
  const std::size_t chart = html.find("aria-label=\"Requests per second\"");
  ASSERT_NE(chart, std::string::npos);
  const std::string svg = html.substr(chart, html.find("</svg>", chart) - chart);
  EXPECT_NE(svg.find("base.json: stream-sync"), std::string::npos);
  EXPECT_NE(svg.find("slow.json: stream-sync"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::reports
