// The per-second time series of a step: outcomes in the bucket of their end, time in flight
// spread exactly over the buckets a request overlaps, warm-up before second 0, exact merging
// of per-worker series, and a JSON form that reads back equal.
#include "harness/metrics/time_series.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "common/input_error.h"

namespace llmbench::metrics {
namespace {

constexpr std::int64_t kS = 1'000'000'000, kMs = 1'000'000;
constexpr std::int64_t kOrigin = 1000 * kS;

harness::RequestRecord request(std::int64_t start, std::int64_t end, bool ok = true) {
  harness::RequestRecord r;
  r.intended_start_ns = r.start_ns = start;
  r.end_ns = end;
  if (ok) {
    r.first_token_ns = start + 50 * kMs;
    r.output_tokens = 10;
  } else {
    r.error = harness::ErrorKind::http_429;
  }
  return r;
}

TEST(TimeSeriesTest, OutcomesLandInTheSecondTheyEndAndBusyTimeIsSpreadExactly) {
  TimeSeries ts;
  ts.record(request(kOrigin + 500 * kMs, kOrigin + 2 * kS + 250 * kMs), kOrigin);  // 0.5 s, 1 s, 0.25 s
  ts.record(request(kOrigin + 2 * kS + 100 * kMs, kOrigin + 2 * kS + 200 * kMs, false), kOrigin);
  ASSERT_EQ(ts.first_second(), 0);
  ASSERT_EQ(ts.buckets().size(), 3u);
  EXPECT_DOUBLE_EQ(ts.buckets()[0].busy_s, 0.5);
  EXPECT_DOUBLE_EQ(ts.buckets()[1].busy_s, 1.0);
  EXPECT_NEAR(ts.buckets()[2].busy_s, 0.35, 1e-12);
  EXPECT_EQ(ts.buckets()[2].ok, 1u);
  EXPECT_EQ(ts.buckets()[2].output_tokens, 10u);
  EXPECT_EQ(ts.buckets()[2].failed, 1u);
  EXPECT_EQ(ts.buckets()[2].errors[static_cast<std::size_t>(harness::ErrorKind::http_429)], 1u);
  EXPECT_EQ(ts.buckets()[0].ok + ts.buckets()[1].ok, 0u);
}

TEST(TimeSeriesTest, WarmUpRequestsFallBeforeSecondZero) {
  TimeSeries ts;
  ts.record(request(kOrigin - 1500 * kMs, kOrigin - 1200 * kMs), kOrigin);
  ts.record(request(kOrigin + 100 * kMs, kOrigin + 300 * kMs), kOrigin);
  EXPECT_EQ(ts.first_second(), -2);
  ASSERT_EQ(ts.buckets().size(), 3u);
  EXPECT_EQ(ts.buckets()[0].ok, 1u);
  EXPECT_EQ(ts.buckets()[1].ok, 0u);
  EXPECT_EQ(ts.buckets()[2].ok, 1u);
}

TEST(TimeSeriesTest, PercentilesOfABucketAreWithinItsBinWidth) {
  TimeSeries ts;
  for (int i = 1; i <= 100; ++i) ts.record(request(kOrigin, kOrigin + i * 10 * kMs), kOrigin);
  const TimeSeries::Bucket& b = ts.buckets()[0];
  EXPECT_NEAR(b.e2e.percentile_ns(50), 500.0 * kMs, 0.01 * 500 * kMs);
  EXPECT_NEAR(b.e2e.percentile_ns(99), 990.0 * kMs, 0.01 * 990 * kMs);
  EXPECT_NEAR(b.ttft.percentile_ns(50), 50.0 * kMs, 0.01 * 50 * kMs);
}

// Workers record disjoint requests; merging their series equals recording all in one.
TEST(TimeSeriesTest, MergingWorkerSeriesEqualsRecordingAllRequestsInOne) {
  std::mt19937_64 rng(7);
  TimeSeries all, a, b;
  for (int i = 0; i < 500; ++i) {
    const auto start = kOrigin + static_cast<std::int64_t>(rng() % (20 * kS)) - 3 * kS;
    const auto end = start + static_cast<std::int64_t>(rng() % (3 * kS));
    const harness::RequestRecord r = request(start, end, rng() % 10 != 0);
    all.record(r, kOrigin);
    (i % 3 == 0 ? a : b).record(r, kOrigin);
  }
  a.merge(b);
  ASSERT_EQ(a.first_second(), all.first_second());
  ASSERT_EQ(a.buckets().size(), all.buckets().size());
  for (std::size_t i = 0; i < a.buckets().size(); ++i) {
    EXPECT_EQ(a.buckets()[i].ok, all.buckets()[i].ok);
    EXPECT_EQ(a.buckets()[i].errors, all.buckets()[i].errors);
    EXPECT_EQ(a.buckets()[i].e2e, all.buckets()[i].e2e);
    EXPECT_NEAR(a.buckets()[i].busy_s, all.buckets()[i].busy_s, 1e-9);
  }
}

TEST(TimeSeriesTest, JsonReadsBackEqualAndBadJsonNamesWhere) {
  TimeSeries ts;
  ts.record(request(kOrigin - 700 * kMs, kOrigin + 1200 * kMs), kOrigin);
  ts.record(request(kOrigin + 10 * kMs, kOrigin + 20 * kMs, false), kOrigin);
  const boost::json::value json = ts.to_json();
  EXPECT_EQ(TimeSeries::from_json(json, "x"), ts);
  EXPECT_EQ(boost::json::serialize(TimeSeries::from_json(json, "x").to_json()), boost::json::serialize(json));

  boost::json::value bad = json;
  bad.as_object()["bucket_s"] = 5;
  EXPECT_THROW(TimeSeries::from_json(bad, "x"), InputError);
  bad = json;
  bad.at("buckets").as_array()[0].as_object()["errors"] = boost::json::object{{"gremlins", 1}};
  try {
    TimeSeries::from_json(bad, "steps[0].time_series");
    FAIL() << "accepted an unknown error kind";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("steps[0].time_series.buckets[0].errors"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace llmbench::metrics
