#include "reports/session_table.h"

#include <gtest/gtest.h>

#include "reports/formatters.h"

namespace llmbench::reports {
namespace {

result::ScenarioResult scenario_with_sessions() {
  metrics::SessionMetrics m;
  for (std::uint32_t turn = 0; turn < 3; ++turn) {
    harness::RequestRecord r;
    r.start_ns = 1'000'000'000;
    r.first_token_ns = r.start_ns + (10 + 5 * turn) * 1'000'000;
    r.end_ns = r.start_ns + 100'000'000;
    r.prompt_tokens = 100 * (turn + 1);
    m.record_turn(turn, r, true);
  }
  m.record_session(metrics::SessionEnd::completed, 3, 0, 2'000'000'000);
  m.record_session(metrics::SessionEnd::cut, 1, 0, 1'000'000'000);
  result::ScenarioResult s;
  s.name = "chat";
  s.steps.resize(2);  // the first step ran no sessions: no rows
  s.steps[1].sessions = m;
  return s;
}

TEST(SessionTable, TotalsOneRowPerStepWithSessions) {
  const auto table = session_totals_table(scenario_with_sessions());
  ASSERT_TRUE(table.has_value());
  ASSERT_EQ(table->rows.size(), 1u);
  const auto& row = table->rows[0];
  EXPECT_EQ(row[0], "step 2");
  EXPECT_EQ(row[1], "2");  // sessions
  EXPECT_EQ(row[2], "1");  // completed
  EXPECT_EQ(row[4], "1");  // cut
  EXPECT_EQ(row[5], "2");  // mean turns: 4 / 2
  EXPECT_EQ(row[6].substr(0, 4), "2000");
}

TEST(SessionTable, PerTurnRowsShowPromptTokensAndTtftGrowing) {
  const auto table = session_turns_table(scenario_with_sessions());
  ASSERT_TRUE(table.has_value());
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[2][1], "3");
  EXPECT_EQ(table->rows[0][4], "100");
  EXPECT_EQ(table->rows[2][4], "300");
  EXPECT_EQ(table->rows[2][5].substr(0, 2), "20");  // TTFT p50 ms
}

TEST(SessionTable, AbsentWithoutSessionsAndShownInTextMarkdownAndHtml) {
  result::ScenarioResult plain;
  plain.steps.resize(1);
  EXPECT_FALSE(session_totals_table(plain));
  EXPECT_FALSE(session_turns_table(plain));
  result::RunReport report;
  report.scenarios.push_back(scenario_with_sessions());
  EXPECT_NE(format_markdown(report).find("Per turn"), std::string::npos);
  EXPECT_NE(format_console(report).find("per turn"), std::string::npos);
  EXPECT_NE(format_html(report).find("Per turn (each turn sends the history so far)"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::reports
