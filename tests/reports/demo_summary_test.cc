#include "reports/demo_summary.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/reports/crafted_report.h"

namespace llmbench::reports {
namespace {

// A step whose efficiency() is known exactly: only timing, throughput, counts and the
// reference enter the summary.
struct Shape {
  double concurrency = 8;
  double rps = 158;
  std::optional<double> e2e_ms = 50;
  std::uint64_t total = 80;
  std::uint64_t failed = 0;
  std::optional<double> rate;  // open loop when set
};

Shape closed(double concurrency, double rps) {
  Shape s;
  s.concurrency = concurrency;
  s.rps = rps;
  return s;
}

Shape without_reference(Shape s) {
  s.e2e_ms = std::nullopt;
  return s;
}

result::StepResult step(const Shape& s) {
  result::StepResult step;
  step.stop_reason = result::StopReason::requests;
  step.metrics.timing.duration_s = 1;
  step.metrics.timing.concurrency = s.concurrency;
  step.metrics.timing.target_rate_rps = s.rate;
  step.metrics.counts.total = s.total;
  step.metrics.counts.failed = s.failed;
  step.metrics.counts.ok = s.total - s.failed;
  step.metrics.throughput.requests_per_s = s.rps;
  step.reference.e2e_ms = s.e2e_ms;
  step.reference.ttft_ms = 20;
  return step;
}

result::ScenarioResult scenario(const std::string& mode, const std::string& operation, const Shape& s) {
  result::ScenarioResult sc;
  sc.name = operation + "-" + mode;
  sc.mode = *from_name<harness::ExecutionModel>(mode);
  sc.operation = *from_name<harness::Operation>(operation);
  sc.load_model = s.rate ? result::LoadPattern::constant : result::LoadPattern::closed;
  sc.steps.push_back(step(s));
  return sc;
}

// The shape of scenarios/quickstart.toml: three operations, each through the three models,
// against a mock of 50 ms per response.
result::RunReport quickstart_like() {
  result::RunReport r;
  for (const char* op : {"invoke", "stream", "batch"}) {
    r.scenarios.push_back(scenario("sync", op, closed(1, 19.8)));
    r.scenarios.push_back(scenario("threaded", op, closed(8, 157.9)));
    r.scenarios.push_back(scenario("coroutine", op, closed(8, 158.4)));
  }
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DemoSummaryTest, OneLinePerOperationBestModelFirstAgainstTheIdeal) {
  const std::vector<std::string> out = lines(format_summary(quickstart_like()));
  ASSERT_EQ(out.size(), 5u) << format_summary(quickstart_like());
  EXPECT_EQ(out[0],
            "What it found (req/s: successful requests per second; ideal: users / 50 ms, the target's known time "
            "per response):");
  const std::string row = "coroutine 158 req/s (8 users, 99% of ideal 160), threaded 158 (99%), "
                          "sync 19.8 (1 user, 99% of its ideal 20)";
  EXPECT_EQ(out[1], "  invoke: " + row);
  EXPECT_EQ(out[2], "  stream: " + row);
  EXPECT_EQ(out[3], "  batch: " + row);
  EXPECT_EQ(out[4],
            "What this means for your code: a response takes 50 ms however fast the client is, so code that sends "
            "one request at a time is capped near 20 req/s; with 8 requests in flight (coroutine or threaded) the same "
            "target served 8.0x as many, so send independent LLM calls concurrently.");
}

TEST(DemoSummaryTest, FiguresComeFromTheReport) {
  result::RunReport r = quickstart_like();
  // A slower client: 120 of an ideal 160 on invoke threaded.
  r.scenarios[1].steps[0].metrics.throughput.requests_per_s = 120;
  const std::string out = format_summary(r);
  EXPECT_TRUE(contains(out, "  invoke: coroutine 158 req/s (8 users, 99% of ideal 160), threaded 120 (75%), sync 19.8"))
      << out;
  EXPECT_TRUE(contains(out, "invoke threaded reached only 75% of its ideal: there the client side")) << out;
}

TEST(DemoSummaryTest, AMissingModeIsLeftOutAndTheSentenceNeedsNoSync) {
  result::RunReport r;
  r.scenarios.push_back(scenario("threaded", "stream", closed(8, 156.8)));
  r.scenarios.push_back(scenario("coroutine", "stream", closed(8, 158.4)));
  r.scenarios.push_back(scenario("sync", "invoke", closed(1, 19.8)));
  const std::vector<std::string> out = lines(format_summary(r));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1], "  stream: coroutine 158 req/s (8 users, 99% of ideal 160), threaded 157 (98%)");
  EXPECT_EQ(out[2], "  invoke: sync 19.8 req/s (1 user, 99% of ideal 20)");
  EXPECT_EQ(out[3],
            "What this means for your code: no client beats requests in flight / latency, and these got 98% to 99% "
            "of it, so to go faster keep more requests in flight, not faster code.");
}

TEST(DemoSummaryTest, WithoutAKnownLatencyThereIsNoIdeal) {
  result::RunReport r;
  r.scenarios.push_back(scenario("sync", "invoke", without_reference(closed(1, 4.5))));
  r.scenarios.push_back(scenario("coroutine", "invoke", without_reference(closed(16, 60))));
  const std::vector<std::string> out = lines(format_summary(r));
  ASSERT_EQ(out.size(), 3u) << format_summary(r);
  EXPECT_TRUE(contains(out[0], "the target's latency is unknown, so there is no ideal")) << out[0];
  EXPECT_EQ(out[1], "  invoke: coroutine 60 req/s (16 users, ideal unknown), sync 4.5 (1 user, ideal unknown)");
  EXPECT_EQ(out[2],
            "What this means for your code: the target's latency caps code that sends one request at a time; with 16 "
            "requests in flight (coroutine) the same target served 13.3x as many, so send independent LLM calls "
            "concurrently.");

  result::RunReport alone;
  alone.scenarios.push_back(scenario("threaded", "stream", without_reference(closed(4, 30))));
  const std::string text = format_summary(alone);
  EXPECT_TRUE(contains(text, "without a target of known latency there is no ideal to compare with")) << text;
}

TEST(DemoSummaryTest, FailedRequestsAreCountedAndExplainAShortfall) {
  result::RunReport r;
  r.scenarios.push_back(scenario("sync", "invoke", closed(1, 19.8)));
  Shape failing = closed(8, 99);
  failing.total = 80;
  failing.failed = 30;
  r.scenarios.push_back(scenario("threaded", "invoke", failing));
  const std::vector<std::string> out = lines(format_summary(r));
  ASSERT_EQ(out.size(), 5u) << format_summary(r);
  EXPECT_EQ(out[1],
            "  invoke: threaded 99 req/s (8 users, 62% of ideal 160, 30 of 80 requests failed), "
            "sync 19.8 (1 user, 99% of its ideal 20)");
  EXPECT_TRUE(contains(out[3], "invoke threaded reached only 62% of its ideal")) << out[3];
  EXPECT_EQ(out[4], "30 requests failed; the report's error columns say of what kind.");
}

TEST(DemoSummaryTest, OpenLoopStepsAreMeasuredAgainstTheOfferedRate) {
  result::RunReport r;
  Shape open = closed(0, 19.6);
  open.rate = 20;
  r.scenarios.push_back(scenario("coroutine", "stream", open));
  const std::vector<std::string> out = lines(format_summary(r));
  ASSERT_GE(out.size(), 2u);
  EXPECT_EQ(out[1], "  stream: coroutine 19.6 req/s (20 req/s offered, 98% of ideal 20)");
}

TEST(DemoSummaryTest, NoGainFromConcurrencyPointsAtTheTarget) {
  result::RunReport r;
  r.scenarios.push_back(scenario("sync", "invoke", closed(1, 19.8)));
  r.scenarios.push_back(scenario("threaded", "invoke", closed(8, 21)));
  const std::string out = format_summary(r);
  EXPECT_TRUE(contains(out, "more requests in flight did not raise throughput here (1.1x at best), so the target, "
                            "not the client, is the limit"))
      << out;
}

TEST(DemoSummaryTest, SweptScenariosShowTheirBestStepAndRepeatedModesTheirNames) {
  // crafted_report(): stream sync and coroutine swept over 1, 4, 16 users; invoke threaded in
  // open loop at 20 req/s with every 25th request failing.
  const std::string out = format_summary(testing::crafted_report());
  const std::vector<std::string> l = lines(out);
  ASSERT_GE(l.size(), 3u) << out;
  EXPECT_TRUE(contains(l[1], "  stream: ")) << out;
  EXPECT_TRUE(contains(l[1], "(16 users, best of 3 steps, ")) << out;
  EXPECT_TRUE(contains(l[2], "  invoke: threaded ")) << out;
  EXPECT_TRUE(contains(l[2], "(20 req/s offered, ")) << out;
  EXPECT_TRUE(contains(l[2], " of 200 requests failed)")) << out;
  // Its sync scenario has up to 16 users too: not the one-at-a-time code the speed-up sentence means.
  EXPECT_FALSE(contains(out, "did not raise throughput")) << out;
  EXPECT_TRUE(contains(out, "no client beats requests in flight / latency")) << out;

  result::RunReport twice;
  twice.scenarios.push_back(scenario("coroutine", "stream", closed(8, 158)));
  twice.scenarios.push_back(scenario("coroutine", "stream", closed(64, 1200)));
  twice.scenarios[1].name = "stream-coroutine-64";
  const std::vector<std::string> t = lines(format_summary(twice));
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t[1], "  stream: stream-coroutine-64 1200 req/s (64 users, 94% of ideal 1280), "
                  "stream-coroutine 158 (8 users, 99% of its ideal 160)");
}

TEST(DemoSummaryTest, InterruptedAndEmptyReportsSaySo) {
  result::RunReport r = quickstart_like();
  r.interrupted = true;
  EXPECT_EQ(lines(format_summary(r)).front(), "The run was interrupted: these figures are partial.");
  EXPECT_EQ(format_summary(result::RunReport{}), "The report has no measured scenarios.\n");
}

}  // namespace
}  // namespace llmbench::reports
