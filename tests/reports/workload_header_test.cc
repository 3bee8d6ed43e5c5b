#include "reports/workload_header.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "reports/formatters.h"
#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

namespace json = boost::json;

result::RunReport mock_run() {
  result::RunReport report = testing::crafted_report();
  report.config = json::object{
      {"name", "quickstart"},
      {"target", json::object{{"kind", "mock"},
                              {"model", "mock-1"},
                              {"api", "openai"},
                              {"mock", json::object{{"ttft", "50ms"}, {"itl", "5ms"}, {"output_tokens", "64"}}}}},
      {"prompts", json::object{{"kind", "synthetic"}, {"distribution", "normal"}, {"mean", 128}, {"seed", 7}}},
      {"scenarios", json::array{json::object{{"name", "stream-sync"},
                                             {"plan", json::object{{"requests", 200},
                                                                   {"duration", "30s"},
                                                                   {"warmup_requests", 10},
                                                                   {"warmup_duration", "0s"}}}},
                                json::object{{"name", "stream-coroutine"},
                                             {"plan", json::object{{"requests", 0},
                                                                   {"duration", "10s"},
                                                                   {"warmup_requests", 0},
                                                                   {"warmup_duration", "0s"}}}}}}};
  return report;
}

TEST(WorkloadHeaderTest, StatesTargetMockProfileModelAndPrompts) {
  const WorkloadHeader h = workload_header(mock_run());
  ASSERT_EQ(h.lines.size(), 2u);
  EXPECT_EQ(h.lines[0], "target: embedded mock (ttft 50ms, itl 5ms, output tokens 64) · model mock-1 · api openai");
  EXPECT_EQ(h.lines[1], "prompts: synthetic, normal mean 128 tokens, seed 7");
  EXPECT_TRUE(h.warnings.empty());

  result::RunReport url = mock_run();
  url.config["target"] = json::object{{"kind", "url"}, {"url", "http://127.0.0.1:8000/v1"}, {"model", "llama"}};
  url.config["prompts"] = json::object{{"kind", "jsonl"}, {"file", "prompts.jsonl"}};
  const WorkloadHeader u = workload_header(url);
  EXPECT_EQ(u.lines.at(0), "target: http://127.0.0.1:8000/v1 · model llama");
  EXPECT_EQ(u.lines.at(1), "prompts: prompts.jsonl");
}

TEST(WorkloadHeaderTest, ScenarioStopConditionAndWarmup) {
  const result::RunReport r = mock_run();
  EXPECT_EQ(scenario_workload(r, "stream-sync"), "per step: 200 requests or 30s, whichever first · warm-up: 10 requests");
  EXPECT_EQ(scenario_workload(r, "stream-coroutine"), "per step: 10s · warm-up: none");
  EXPECT_EQ(scenario_workload(r, "invoke-threaded"), "");  // not echoed: say nothing
}

TEST(WorkloadHeaderTest, WarnsOnDebugAndSanitizerBuildsAndBusyMachines) {
  result::RunReport r = mock_run();
  r.environment.load_average_start = 0.4;  // 2 CPUs: quiet
  r.environment.load_average_end = 1.9;
  WorkloadHeader h = workload_header(r);
  EXPECT_EQ(h.lines.back(), "load average: 0.40 at start, 1.90 at end (2 CPUs)");
  EXPECT_TRUE(h.warnings.empty());

  r.environment.load_average_start = 1.5;  // above 0.5 per CPU before llmbench started
  r.environment.warning = result::build_flavor_warning("Debug+address,undefined");
  h = workload_header(r);
  ASSERT_EQ(h.warnings.size(), 2u);
  EXPECT_NE(h.warnings[0].find("sanitizer build"), std::string::npos);
  EXPECT_EQ(h.warnings[1], "busy machine: load average 1.50 at start on 2 CPUs: latencies include waiting for a CPU");

  r.environment.load_average_start = 0.2;
  r.environment.load_average_end = 2.5;  // saturated by the end
  EXPECT_EQ(workload_header(r).warnings.at(1),
            "busy machine: load average 2.50 at end on 2 CPUs: latencies include waiting for a CPU");
}

TEST(WorkloadHeaderTest, ConsoleAndMarkdownPrintHeaderAndWarnings) {
  result::RunReport r = mock_run();
  r.environment.warning = result::build_flavor_warning("Debug");
  r.environment.load_average_start = 3.0;
  const std::string console = format_console(r);
  EXPECT_NE(console.find("\ntarget: embedded mock (ttft 50ms"), std::string::npos);
  EXPECT_NE(console.find("\nwarning: non-release build (Debug)"), std::string::npos);
  EXPECT_NE(console.find("\nwarning: busy machine: load average 3.00 at start"), std::string::npos);
  EXPECT_NE(console.find("\nper step: 200 requests or 30s"), std::string::npos);
  const std::string md = format_markdown(r);
  EXPECT_NE(md.find("target: embedded mock"), std::string::npos);
  EXPECT_NE(md.find("> **Warning:** busy machine"), std::string::npos);
  EXPECT_NE(md.find("> **Warning:** non-release build"), std::string::npos);
}

}  // namespace
}  // namespace llmbench::reports
