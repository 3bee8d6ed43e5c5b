#include "reports/compare_html.h"

#include <fmt/format.h>

#include "reports/html_page.h"
#include "reports/svg_chart.h"

namespace llmbench::reports {

namespace {

// The runs' scenarios in one report, renamed "<run>: <scenario>", so the report charts draw
// them side by side: scenarios of every run that sweep the same parameter share each chart.
result::RunReport overlaid(const std::vector<ComparedRun>& runs) {
  result::RunReport all;
  for (const ComparedRun& run : runs) {
    for (result::ScenarioResult s : run.report->scenarios) {
      s.name = run.name + ": " + s.name;
      all.scenarios.push_back(std::move(s));
    }
  }
  return all;
}

}  // namespace

std::string format_comparison_html(const std::vector<ComparedRun>& runs,
                                   const std::vector<std::vector<ComparisonRow>>& rows,
                                   const std::vector<std::string>& warnings) {
  std::string out = html::page_start("llmbench comparison");
  out += "<ul class=\"meta\">\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const result::RunReport& r = *runs[i].report;
    out +=
        fmt::format("<li>{}: <b>{}</b> · {} · llmbench {} ({}) · {}</li>\n", i == 0 ? "baseline" : "current",
                    svg::escape(runs[i].name), svg::escape(r.started_at), svg::escape(r.tool_version),
                    svg::escape(r.environment.build_flavor), svg::escape(r.environment.host));
  }
  out += "</ul>\n";
  for (std::size_t i = 0; i < rows.size() && i + 1 < runs.size(); ++i) {
    out += fmt::format("<h2>{} against {}</h2>\n", svg::escape(runs[i + 1].name), svg::escape(runs[0].name));
    if (i < warnings.size() && !warnings[i].empty())
      out += "<p class=\"warning\">Warning: " + svg::escape(warnings[i]) + "</p>\n";
    const SummaryTable t = comparison_table(rows[i]);
    out += "<table class=\"comparison\">\n<tr>";
    for (const std::string& h : t.header) out += "<th>" + svg::escape(h) + "</th>";
    out += "</tr>\n";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const std::string& verdict = rows[i][r].verdict;
      out += verdict == "worse" || verdict == "better" ? "<tr class=\"" + verdict + "\">" : "<tr>";
      for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
        out += fmt::format("<td{}>{}</td>", t.numeric[c] ? " class=\"num\"" : "", svg::escape(t.rows[r][c]));
      }
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  out += html::charts(overlaid(runs));
  return out + html::page_end();
}

}  // namespace llmbench::reports
