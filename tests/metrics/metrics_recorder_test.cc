#include "harness/metrics/metrics_recorder.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <vector>

namespace llmbench::metrics {
namespace {

using harness::ErrorKind;
using harness::RequestRecord;

constexpr std::int64_t kMs = 1'000'000;

// A streamed request: intended at t0, sent after `wait`, first token after `ttft`, then
// `tokens - 1` more chunks every `itl`.
RequestRecord streamed(std::int64_t t0, std::int64_t wait, std::int64_t ttft, std::int64_t itl,
                       std::uint32_t tokens) {
  RequestRecord r;
  r.intended_start_ns = t0;
  r.start_ns = t0 + wait;
  r.headers_ns = r.start_ns + ttft / 2;
  r.first_token_ns = r.start_ns + ttft;
  for (std::uint32_t i = 0; i < tokens; ++i) r.token_ns.push_back(r.first_token_ns + itl * i);
  r.end_ns = r.token_ns.back() + 1;
  r.output_tokens = tokens;
  r.prompt_tokens = 100;
  r.usage_reported = true;
  r.http_status = 200;
  return r;
}

RequestRecord failed(ErrorKind kind, std::uint16_t retries = 0) {
  RequestRecord r;
  r.start_ns = r.intended_start_ns = 1'000 * kMs;
  r.end_ns = r.start_ns + 5 * kMs;
  r.error = kind;
  r.retries = retries;
  return r;
}

TEST(MetricsRecorderTest, DerivesEveryLatencyFromTheStamps) {
  MetricsRecorder recorder;
  const RequestRecord r = streamed(10 * kMs, 3 * kMs, 50 * kMs, 10 * kMs, 5);
  recorder.record(r);
  const Distributions& d = recorder.distributions();
  const auto e2e = static_cast<double>(r.end_ns - r.start_ns);
  EXPECT_EQ(d.e2e.max(), e2e);
  EXPECT_EQ(d.e2e_corrected.max(), static_cast<double>(r.end_ns - r.intended_start_ns));
  EXPECT_EQ(d.ttft.max(), 50.0 * kMs);
  EXPECT_EQ(d.ttft_corrected.max(), 53.0 * kMs);
  EXPECT_EQ(d.queue_wait.max(), 3.0 * kMs);
  EXPECT_EQ(d.itl.count(), 4u);  // gaps between 5 chunks
  EXPECT_EQ(d.itl.min(), 10.0 * kMs);
  EXPECT_EQ(d.itl.max(), 10.0 * kMs);
  EXPECT_DOUBLE_EQ(d.tpot.max(), static_cast<double>(r.end_ns - r.first_token_ns) / 4.0);
  EXPECT_EQ(d.output_tokens.max(), 5.0);
  EXPECT_DOUBLE_EQ(d.output_tokens_per_s.max(), 5.0 / (e2e / 1e9));
}

TEST(MetricsRecorderTest, ItlPoolsAllGapsWhileTpotIsOnePerRequest) {
  MetricsRecorder recorder;
  recorder.record(streamed(0, 0, 20 * kMs, 2 * kMs, 11));  // 10 gaps of 2 ms
  recorder.record(streamed(0, 0, 20 * kMs, 30 * kMs, 2));  // 1 gap of 30 ms
  const Distributions& d = recorder.distributions();
  EXPECT_EQ(d.itl.count(), 11u);
  EXPECT_EQ(d.tpot.count(), 2u);
  // Pooled ITL is dominated by the long stream; mean TPOT weighs each request once.
  EXPECT_NEAR(d.itl.mean(), (10 * 2.0 + 30.0) / 11 * kMs, 1.0);
  EXPECT_NEAR(d.tpot.mean(), (2.0 * kMs + 0.1 + 30.0 * kMs + 1) / 2, 1.0);
}

TEST(MetricsRecorderTest, NonStreamedResponsesHaveTtftButNoTpotOrItl) {
  MetricsRecorder recorder;
  RequestRecord r;
  r.start_ns = r.intended_start_ns = 0;
  r.first_token_ns = 50 * kMs;  // the whole body arrived at once
  r.token_ns = {50 * kMs};
  r.end_ns = 50 * kMs + 1000;
  r.output_tokens = 16;
  r.http_status = 200;
  recorder.record(r);
  const Distributions& d = recorder.distributions();
  EXPECT_EQ(d.ttft.count(), 1u);
  EXPECT_EQ(d.tpot.count(), 0u);
  EXPECT_EQ(d.itl.count(), 0u);
}

TEST(MetricsRecorderTest, FailuresAreCountedByKindAndKeptOutOfLatencies) {
  MetricsRecorder recorder;
  recorder.record(streamed(0, 0, 20 * kMs, 2 * kMs, 4));
  recorder.record(failed(ErrorKind::http_429, 3));
  recorder.record(failed(ErrorKind::http_429));
  recorder.record(failed(ErrorKind::truncated));
  const RequestCounts& c = recorder.counts();
  EXPECT_EQ(c.total, 4u);
  EXPECT_EQ(c.ok, 1u);
  EXPECT_EQ(c.failed, 3u);
  EXPECT_EQ(c.errors(ErrorKind::http_429), 2u);
  EXPECT_EQ(c.errors(ErrorKind::truncated), 1u);
  EXPECT_EQ(c.errors(ErrorKind::connect), 0u);
  EXPECT_EQ(c.retries, 3u);
  EXPECT_EQ(c.output_tokens, 4u);
  EXPECT_EQ(recorder.distributions().e2e.count(), 1u);

  const StepMetrics m = recorder.summarize({.duration_s = 2.0, .concurrency = 4, .target_rate_rps = {}});
  EXPECT_DOUBLE_EQ(m.throughput.error_rate, 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(m.throughput.requests_per_s, 1.0 / 2.0);
  EXPECT_DOUBLE_EQ(m.throughput.output_tokens_per_s, 4.0 / 2.0);
  EXPECT_DOUBLE_EQ(m.throughput.total_tokens_per_s, 104.0 / 2.0);
  EXPECT_DOUBLE_EQ(m.throughput.output_tokens_per_s_per_user, 4.0 / 2.0 / 4.0);
  EXPECT_FALSE(m.throughput.goodput_rps.has_value());  // no SLO, no goodput
}

TEST(MetricsRecorderTest, GoodputCountsRequestsWithinEverySlo) {
  MetricsRecorder recorder(Slo{.ttft_ms = 100, .tpot_ms = 20, .e2e_ms = {}});
  const std::int64_t t0 = 1'000 * kMs;                       // intended_start_ns 0 would mean "not set"
  recorder.record(streamed(t0, 0, 50 * kMs, 10 * kMs, 10));  // good
  recorder.record(streamed(t0, 80 * kMs, 50 * kMs, 10 * kMs, 10));  // corrected TTFT 130 ms: bad
  recorder.record(streamed(t0, 0, 50 * kMs, 25 * kMs, 10));         // TPOT 25 ms: bad
  recorder.record(streamed(t0, 0, 99 * kMs, 1 * kMs, 1));           // one token, no TPOT: good
  recorder.record(failed(ErrorKind::http_5xx));                     // failures are never good
  EXPECT_EQ(recorder.counts().good, 2u);
  const StepMetrics m = recorder.summarize({.duration_s = 4.0, .concurrency = 1, .target_rate_rps = {}});
  ASSERT_TRUE(m.throughput.goodput_rps.has_value());
  EXPECT_DOUBLE_EQ(*m.throughput.goodput_rps, 2.0 / 4.0);
}

TEST(MetricsRecorderTest, ClosedLoopRecordWithoutIntendedStartHasZeroQueueWait) {
  MetricsRecorder recorder;
  RequestRecord r = streamed(5 * kMs, 0, 10 * kMs, 1 * kMs, 3);
  r.intended_start_ns = 0;
  recorder.record(r);
  EXPECT_EQ(recorder.distributions().queue_wait.max(), 0.0);
  EXPECT_EQ(recorder.distributions().e2e_corrected, recorder.distributions().e2e);
}

TEST(MetricsRecorderTest, MergingWorkersEqualsOneRecorderOverAllRecords) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::int64_t> ms(1, 200);
  std::uniform_int_distribution<std::uint32_t> tokens(1, 64);
  std::vector<RequestRecord> records;
  for (int i = 0; i < 500; ++i) {
    records.push_back(i % 17 == 0 ? failed(ErrorKind::stream_error, 1)
                                  : streamed(ms(rng) * kMs, ms(rng) * kMs / 10, ms(rng) * kMs,
                                             ms(rng) * kMs / 20, tokens(rng)));
  }
  const Slo slo{.ttft_ms = 150, .tpot_ms = {}, .e2e_ms = 2'000};
  MetricsRecorder whole(slo), w1(slo), w2(slo);
  for (std::size_t i = 0; i < records.size(); ++i) {
    whole.record(records[i]);
    (i % 3 == 0 ? w1 : w2).record(records[i]);
  }
  w1.merge(w2);
  EXPECT_EQ(w1.counts(), whole.counts());
  EXPECT_EQ(w1.distributions(), whole.distributions());
  EXPECT_NE(w2.counts(), whole.counts());
}

TEST(MetricsRecorderTest, MergeRejectsDifferentSlos) {
  MetricsRecorder a(Slo{.ttft_ms = 100, .tpot_ms = {}, .e2e_ms = {}});
  MetricsRecorder b;
  EXPECT_THROW(a.merge(b), std::invalid_argument);
}

TEST(StepMetricsTest, MergeOfSideBySideProcessesAddsUsersAndKeepsTheLongerWindow) {
  MetricsRecorder a, b;
  a.record(streamed(0, 0, 10 * kMs, 1 * kMs, 8));
  b.record(streamed(0, 0, 12 * kMs, 1 * kMs, 8));
  b.record(streamed(0, 0, 14 * kMs, 1 * kMs, 8));
  StepMetrics m = a.summarize({.duration_s = 2.0, .concurrency = 8, .target_rate_rps = {}});
  m.merge(b.summarize({.duration_s = 2.5, .concurrency = 8, .target_rate_rps = {}}));
  EXPECT_EQ(m.timing.concurrency, 16.0);
  EXPECT_EQ(m.timing.duration_s, 2.5);
  EXPECT_EQ(m.counts.ok, 3u);
  EXPECT_DOUBLE_EQ(m.throughput.requests_per_s, 3.0 / 2.5);
  EXPECT_EQ(m.distributions.ttft.count(), 3u);
}

// Issue 12 items 6 and 8: throughput is the work inside the window over its length, and the
// time in flight inside it gives the mean in-flight count.
TEST(MetricsRecorderTest, ThroughputAndMeanInFlightComeFromTheWorkInsideTheWindow) {
  MetricsRecorder recorder;
  const RequestRecord inside = streamed(100 * kMs, 0, 50 * kMs, 1 * kMs, 1);  // [100, 150] ms
  const RequestRecord straddling = streamed(950 * kMs, 0, 100 * kMs, 1 * kMs, 1);  // [950, 1050] ms
  for (const RequestRecord& r : {inside, straddling}) {
    recorder.record(r);
    recorder.record_window(r, 0, 1000 * kMs);
  }
  RequestRecord rejected = failed(ErrorKind::http_429);  // failed: in flight, but no throughput
  rejected.start_ns = rejected.intended_start_ns = 200 * kMs;
  rejected.end_ns = 205 * kMs;
  recorder.record_window(rejected, 0, 1000 * kMs);
  const StepMetrics m = recorder.summarize({.duration_s = 1.0, .concurrency = 2, .target_rate_rps = {}});
  EXPECT_EQ(m.counts.ok, 2u);
  EXPECT_NEAR(m.throughput.requests_per_s, 1.0 + 0.5, 0.01);  // the straddling one counts half
  ASSERT_TRUE(m.throughput.mean_in_flight.has_value());
  EXPECT_NEAR(*m.throughput.mean_in_flight, 0.050 + 0.050 + 0.005, 0.001);
}

TEST(MetricsRecorderTest, ServerTimingGivesServerQueueAndClientTtft) {
  MetricsRecorder recorder;
  RequestRecord r = streamed(0, 0, 90 * kMs, 1 * kMs, 2);
  r.server_queue_ns = 80 * kMs;
  recorder.record(r);
  recorder.record(streamed(0, 0, 20 * kMs, 1 * kMs, 2));  // no Server-Timing
  const Distributions& d = recorder.distributions();
  EXPECT_EQ(d.server_queue.count(), 1u);
  ASSERT_EQ(d.ttft_client.count(), 1u);
  EXPECT_NEAR(d.ttft_client.max(), 10.0 * kMs, 0.1 * kMs);
}

TEST(StepMetricsTest, MergeWithAReportWithoutWindowWorkFallsBackToWholeCounts) {
  MetricsRecorder measured, old;
  const RequestRecord r = streamed(100 * kMs, 0, 10 * kMs, 1 * kMs, 1);
  measured.record(r);
  measured.record_window(r, 0, 1000 * kMs);
  old.record(r);
  old.record(r);
  StepMetrics m = measured.summarize({.duration_s = 1.0, .concurrency = 1, .target_rate_rps = {}});
  m.merge(old.summarize({.duration_s = 1.0, .concurrency = 1, .target_rate_rps = {}}));
  EXPECT_FALSE(m.counts.window.measured);
  EXPECT_DOUBLE_EQ(m.throughput.requests_per_s, 3.0);
  EXPECT_FALSE(m.throughput.mean_in_flight.has_value());
}

// Token counts of a request whose server reported no usage are estimates: counted per step
// among successful requests (failed ones carry no tokens), and added on merge.
TEST(MetricsRecorderTest, CountsSuccessfulRequestsWithEstimatedUsage) {
  MetricsRecorder a;
  RequestRecord estimated = streamed(0, 0, 10 * kMs, 1 * kMs, 3);
  estimated.usage_reported = false;
  a.record(estimated);
  a.record(streamed(0, 0, 10 * kMs, 1 * kMs, 3));
  a.record(failed(ErrorKind::parse));  // usage_reported false too, but no tokens counted
  EXPECT_EQ(a.counts().estimated_usage, 1u);
  MetricsRecorder b;
  b.record(estimated);
  a.merge(b);
  EXPECT_EQ(a.counts().estimated_usage, 2u);
}

}  // namespace
}  // namespace llmbench::metrics
