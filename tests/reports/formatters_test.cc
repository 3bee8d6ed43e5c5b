#include "reports/formatters.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "harness/result/report_json.h"
#include "reports/metric_catalog.h"
#include "tests/reports/crafted_report.h"
#include "tests/reports/gold_file.h"

namespace llmbench::reports {
namespace {

const result::RunReport& report() {
  static const result::RunReport r = testing::crafted_report();
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(FormattersGoldTest, ReportJson) {
  testing::expect_matches_gold("crafted.report.json", result::to_json_text(report()));
}
TEST(FormattersGoldTest, Console) {
  testing::expect_matches_gold("crafted.console.txt", format_console(report(), {}));
}
TEST(FormattersGoldTest, ConsoleColor) {
  testing::expect_matches_gold("crafted.console-color.txt", format_console(report(), {.color = true}));
}
TEST(FormattersGoldTest, Csv) { testing::expect_matches_gold("crafted.csv", format_csv(report())); }
TEST(FormattersGoldTest, Markdown) { testing::expect_matches_gold("crafted.md", format_markdown(report())); }
TEST(FormattersGoldTest, Html) { testing::expect_matches_gold("crafted.html", format_html(report())); }
TEST(FormattersGoldTest, GbenchJson) {
  testing::expect_matches_gold("crafted.gbench.json", format_gbench_json(report()));
}

TEST(FormattersTest, ConsoleHasNoEscapeCodesUnlessAskedAndAlignsColumns) {
  const std::string plain = format_console(report(), {});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(format_console(report(), {.color = true}).find("\x1b["), std::string::npos);
  // Every row of a scenario's table puts the req/s column at the same offset.
  const auto all = lines(plain);
  std::size_t header = 0;
  while (header < all.size() && all[header].rfind("step", 0) != 0) ++header;
  ASSERT_LT(header + 3, all.size());
  const std::size_t column = all[header].find("req/s") + std::string("req/s").size();
  for (std::size_t i = header + 1; i <= header + 3; ++i) {
    ASSERT_GT(all[i].size(), column);
    EXPECT_NE(all[i][column - 1], ' ') << all[i];  // right-aligned numbers end under the header's end
    EXPECT_EQ(all[i][column], ' ') << all[i];
  }
}

TEST(FormattersTest, CsvHasOneRowPerStepAndStableColumns) {
  const auto rows = lines(format_csv(report()));
  std::size_t steps = 0;
  for (const auto& s : report().scenarios) steps += s.steps.size();
  ASSERT_EQ(rows.size(), steps + 1);
  const auto columns = [](const std::string& row) { return std::count(row.begin(), row.end(), ',') + 1; };
  for (const auto& row : rows) EXPECT_EQ(columns(row), columns(rows[0])) << row;
  EXPECT_EQ(rows[0].rfind("scenario,mode,operation,load_model,sweep_parameter,sweep_value,", 0), 0u);
  for (const char* name : {"requests_per_s", "p99_ttft_ms", "p50_itl_ms", "p99_9_e2e_corrected_ms",
                           "goodput_rps", "errors_http_429", "throughput_ratio", "p99_schedule_lag_ms"}) {
    EXPECT_NE(rows[0].find(std::string(",") + name + ","), std::string::npos) << name;
  }
}

TEST(FormattersTest, HtmlIsSelfContained) {
  const std::string html = format_html(report());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  // The only URL is the SVG namespace, which browsers never fetch.
  std::size_t http = 0, count = 0;
  while ((http = html.find("://", http)) != std::string::npos) {
    http -= 4;
    EXPECT_EQ(html.compare(http, 26, "http://www.w3.org/2000/svg"), 0);
    http += 8;
    ++count;
  }
  EXPECT_GE(count, 8u);  // six sweep charts, two CDFs at least
  EXPECT_NE(html.find("<h2>Against concurrency</h2>"), std::string::npos);
  EXPECT_NE(html.find("End-to-end latency"), std::string::npos);
  EXPECT_NE(html.find("<table>"), std::string::npos);
}

// Issue 14: the HTML answers "which setting?": the ideal line and the efficiency it implies,
// the verdict, the workload, the SLO view, and latency fans against the swept value.
TEST(FormattersTest, HtmlShowsIdealEfficiencyVerdictWorkloadAndGoodput) {
  const std::string html = format_html(report());
  EXPECT_NE(html.find("dashed: ideal (concurrency / configured latency)"), std::string::npos);
  EXPECT_NE(html.find("Efficiency: achieved / ideal requests per second"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"efficiency\">"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"verdict\">stream-sync is below 90% of ideal"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"workload\">target: embedded mock"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>target.kind</td><td>&quot;mock&quot;</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"goodput\">"), std::string::npos);
  EXPECT_NE(html.find("SLO attainment"), std::string::npos);
  // The steps over time (report.json's time_series), with a marker where each window opens.
  EXPECT_NE(html.find("<h2>Over time</h2>"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"Requests per second and in flight\""), std::string::npos);
  EXPECT_NE(html.find("class=\"marker\""), std::string::npos);
  for (const char* fan : {"Time to first token", "Inter-token latency", "Time per output token"}) {
    EXPECT_NE(html.find(std::string("aria-label=\"") + fan + "\""), std::string::npos) << fan;
  }
}

// Repetitions are one point with an error bar, and a scenario measured at one setting is a bar
// among bars, not a lone dot on another scenario's concurrency axis.
TEST(FormattersTest, HtmlDrawsRepetitionsAsErrorBarsAndUnsweptScenariosAsBars) {
  const std::string html = format_html(testing::crafted_report(1.0, 0, 3));
  const std::size_t by_scenario = html.find("<h2>By scenario</h2>");
  ASSERT_NE(by_scenario, std::string::npos);
  EXPECT_NE(html.find("invoke-threaded (threaded invoke)", by_scenario), std::string::npos);
  const std::size_t against = html.find("<h2>Against concurrency</h2>");
  ASSERT_NE(against, std::string::npos);
  EXPECT_EQ(html.substr(against, by_scenario - against).find("invoke-threaded"), std::string::npos);
  EXPECT_NE(html.find("class=\"error-bar\""), std::string::npos);
  EXPECT_NE(html.find("(repetitions "), std::string::npos);
}

TEST(FormattersTest, GbenchJsonHasTheFieldsCompareDotPyReads) {
  const boost::json::value json = boost::json::parse(format_gbench_json(report()));
  const auto& benchmarks = json.at("benchmarks").as_array();
  ASSERT_FALSE(benchmarks.empty());
  for (const auto& b : benchmarks) {
    for (const char* key : {"name", "run_name", "run_type", "repetitions", "iterations", "real_time",
                            "cpu_time", "time_unit"}) {
      EXPECT_TRUE(b.as_object().contains(key)) << key;
    }
  }
  EXPECT_EQ(benchmarks[0].at("name").as_string(), "stream-sync/concurrency:1/ttft_p50");
  EXPECT_TRUE(json.at("context").as_object().contains("num_cpus"));
}

TEST(FormattersTest, MarkdownWarnsOnDebugBuildsAndInterruptedRuns) {
  result::RunReport r = report();
  r.environment.warning = "non-release build (Debug): timings are not representative";
  r.interrupted = true;
  const std::string md = format_markdown(r);
  EXPECT_NE(md.find("**Warning:** non-release build"), std::string::npos);
  EXPECT_NE(md.find("**Interrupted:**"), std::string::npos);
  EXPECT_EQ(format_markdown(report()).find("Warning"), std::string::npos);
}

TEST(MetricCatalogTest, AliasesResolve) {
  EXPECT_EQ(find_metric("throughput")->name, "requests_per_s");
  EXPECT_EQ(find_metric("p99_e2e")->name, "p99_e2e_ms");
  EXPECT_EQ(find_metric("p999_ttft_ms")->name, "p99_9_ttft_ms");
  EXPECT_EQ(find_metric("goodput")->name, "goodput_rps");
  EXPECT_EQ(find_metric("no_such_metric"), nullptr);
}

// A scenario whose token counts were partly estimated says so in one short line.
TEST(FormattersTest, ConsoleAndMarkdownNoteEstimatedTokenCounts) {
  EXPECT_EQ(format_console(report(), {}).find("estimated"), std::string::npos);
  result::RunReport r = report();
  r.scenarios[0].steps[0].metrics.counts.estimated_usage = 3;
  std::uint64_t ok = 0;
  for (const auto& step : r.scenarios[0].steps) ok += step.metrics.counts.ok;
  const std::string note = "token counts estimated for 3 of " + std::to_string(ok) + " successful requests";
  EXPECT_NE(format_console(r, {}).find("note: " + note), std::string::npos) << format_console(r, {});
  EXPECT_NE(format_markdown(r).find("> **Note:** " + note), std::string::npos);
}

// Requests that stopped before their pinned output length are counted and said, in one line.
TEST(FormattersTest, ConsoleAndMarkdownNoteRequestsThatStoppedEarly) {
  EXPECT_EQ(format_console(report(), {}).find("stopped before"), std::string::npos);
  result::RunReport r = report();
  r.scenarios[0].steps[0].metrics.counts.stopped_early = 2;
  std::uint64_t ok = 0;
  for (const auto& step : r.scenarios[0].steps) ok += step.metrics.counts.ok;
  const std::string note =
      "2 of " + std::to_string(ok) + " successful requests stopped before the output length they asked for";
  EXPECT_NE(format_console(r, {}).find("note: " + note), std::string::npos) << format_console(r, {});
  EXPECT_NE(format_markdown(r).find("> **Note:** " + note), std::string::npos);
  const MetricDef* metric = find_metric("stopped_early");
  ASSERT_NE(metric, nullptr);
  EXPECT_EQ(metric->value(r.scenarios[0].steps[0]), 2.0);
}

}  // namespace
}  // namespace llmbench::reports
