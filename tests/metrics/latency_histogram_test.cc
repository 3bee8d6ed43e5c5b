#include "harness/metrics/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "common/input_error.h"
#include "harness/metrics/exact_json.h"

namespace llmbench::metrics {
namespace {

// The exact nearest-rank percentile the histogram promises to approximate.
double exact_percentile(std::vector<double> samples, double q) {
  std::sort(samples.begin(), samples.end());
  const auto n = static_cast<double>(samples.size());
  auto rank = static_cast<std::size_t>(std::ceil(q / 100.0 * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, samples.size());
  return samples[rank - 1];
}

boost::json::value parse_json_exact(const std::string& text) {
  boost::json::error_code ec;
  boost::json::value v = metrics::parse_json_exact(text, ec);
  EXPECT_FALSE(ec) << ec.message();
  return v;
}

double relative_error(double got, double want) { return std::fabs(got - want) / std::fabs(want); }

constexpr double kBound = LatencyHistogram::kMaxRelativeError + 1e-12;
constexpr double kQuantiles[] = {0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

TEST(LatencyHistogramTest, PercentilesMatchExactWithinStatedErrorForLognormalLatencies) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(std::log(50e6), 1.5);  // centred on 50 ms, wide tails
  LatencyHistogram h;
  std::vector<double> samples;
  for (int i = 0; i < 100'000; ++i) {
    const auto ns = static_cast<std::int64_t>(std::clamp(dist(rng), 1e3, 3.6e12));
    h.record(ns);
    samples.push_back(static_cast<double>(ns));
  }
  for (double q : kQuantiles) {
    EXPECT_LE(relative_error(h.percentile(q), exact_percentile(samples, q)), kBound) << "q=" << q;
  }
}

TEST(LatencyHistogramTest, BoundHoldsFromOneMicrosecondToOneHour) {
  // {tiny, x, huge}: the median is x itself, resolved only by x's bin (not clamped to min/max).
  for (double exponent = 3.0; exponent <= std::log10(3.6e12); exponent += 0.0037) {
    const double x = std::pow(10.0, exponent);
    LatencyHistogram h;
    h.record_value(1.0);
    h.record_value(x);
    h.record_value(1e14);
    ASSERT_LE(relative_error(h.percentile(50), x), kBound) << "x=" << x;
  }
}

TEST(LatencyHistogramTest, UnderflowAndOverflowAreCountedNotDropped) {
  LatencyHistogram h;
  h.record(0);
  h.record(-5);
  h.record(500);
  h.record(20'000'000'000'000);
  h.record(2'000'000);
  EXPECT_EQ(h.count(), 5u);
  EXPECT_EQ(h.underflow(), 3u);
  EXPECT_EQ(h.overflow(), 1u);
  EXPECT_EQ(h.min(), -5.0);
  EXPECT_EQ(h.max(), 2e13);
  EXPECT_EQ(h.percentile(100), 2e13);
  EXPECT_EQ(h.percentile(0), -5.0);
  EXPECT_EQ(h.percentile(50), -5.0);  // rank 3 falls in underflow: reported as min
  EXPECT_EQ(h.percentile(90), 2e13);  // rank 5 falls in overflow: reported as max
}

TEST(LatencyHistogramTest, MeanAndStddevAreExact) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> dist(1'000, 5'000'000'000);
  LatencyHistogram h;
  std::vector<double> samples;
  for (int i = 0; i < 10'000; ++i) {
    const std::int64_t v = dist(rng);
    h.record(v);
    samples.push_back(static_cast<double>(v));
  }
  double sum = 0;
  for (double v : samples) sum += v;
  const double mean = sum / static_cast<double>(samples.size());
  double squares = 0;
  for (double v : samples) squares += (v - mean) * (v - mean);
  const double stddev = std::sqrt(squares / static_cast<double>(samples.size()));
  EXPECT_NEAR(h.mean(), mean, mean * 1e-12);
  EXPECT_NEAR(h.stddev(), stddev, stddev * 1e-9);
  EXPECT_EQ(h.min(), *std::min_element(samples.begin(), samples.end()));
  EXPECT_EQ(h.max(), *std::max_element(samples.begin(), samples.end()));
}

TEST(LatencyHistogramTest, MergeEqualsRecordingBothSampleSets) {
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> fast(1.0 / 2e6);
  std::lognormal_distribution<double> slow(std::log(2e9), 0.7);
  LatencyHistogram a, b, both;
  for (int i = 0; i < 20'000; ++i) {
    const auto x = static_cast<std::int64_t>(fast(rng));
    a.record(x);
    both.record(x);
  }
  for (int i = 0; i < 7'000; ++i) {
    const auto y = static_cast<std::int64_t>(slow(rng));
    b.record(y);
    both.record(y);
  }
  LatencyHistogram merged = a;
  merged.merge(b);
  EXPECT_EQ(merged, both);
  EXPECT_NE(a, both);  // the comparison can fail
  for (double q : kQuantiles) EXPECT_EQ(merged.percentile(q), both.percentile(q)) << "q=" << q;
  EXPECT_NEAR(merged.stddev(), both.stddev(), both.stddev() * 1e-9);

  LatencyHistogram empty;
  empty.merge(a);
  EXPECT_EQ(empty, a);
}

TEST(LatencyHistogramTest, MergeRejectsDifferentRanges) {
  LatencyHistogram latency;
  LatencyHistogram tokens(HistogramRange::token_count());
  EXPECT_THROW(latency.merge(tokens), std::invalid_argument);
}

TEST(LatencyHistogramTest, JsonRoundTripIsExactAndSparse) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(std::log(1e7), 2.0);
  LatencyHistogram h;
  for (int i = 0; i < 5'000; ++i) h.record(static_cast<std::int64_t>(dist(rng)));
  h.record(10);                  // underflow
  h.record(50'000'000'000'000);  // overflow
  const boost::json::value json = h.to_json();
  const std::string text = boost::json::serialize(json);
  const LatencyHistogram back = LatencyHistogram::from_json(parse_json_exact(text), "test");
  EXPECT_EQ(back, h);
  EXPECT_EQ(back.mean(), h.mean());  // bit-exact, not just near
  EXPECT_EQ(back.stddev(), h.stddev());
  EXPECT_EQ(boost::json::serialize(back.to_json()), text);
  EXPECT_LT(json.at("counts").as_array().size(), h.bin_count() / 2);  // only non-empty bins
}

TEST(LatencyHistogramTest, EmptyHistogramRoundTripsAndReportsZero) {
  LatencyHistogram h(HistogramRange::rate_per_s());
  EXPECT_EQ(h.percentile(99), 0.0);
  const LatencyHistogram back = LatencyHistogram::from_json(h.to_json(), "test");
  EXPECT_EQ(back, h);
  EXPECT_EQ(back.range(), HistogramRange::rate_per_s());
}

TEST(LatencyHistogramTest, CdfIsMonotoneAndEndsAtOne) {
  LatencyHistogram h;
  for (std::int64_t v = 1'000'000; v <= 100'000'000; v += 1'000'000) h.record(v);
  const auto cdf = h.cdf();
  ASSERT_FALSE(cdf.empty());
  for (std::size_t i = 1; i < cdf.size(); ++i) {
    EXPECT_GT(cdf[i].first, cdf[i - 1].first);
    EXPECT_GT(cdf[i].second, cdf[i - 1].second);
  }
  EXPECT_DOUBLE_EQ(cdf.back().second, 1.0);
  EXPECT_EQ(cdf.back().first, 1e8);
}

void expect_input_error(const std::string& text, const std::string& needle) {
  try {
    LatencyHistogram::from_json(boost::json::parse(text), "r.json: ttft");
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("r.json: ttft"), std::string::npos) << e.what();
  }
}

TEST(LatencyHistogramTest, CorruptJsonIsAnInputErrorNamingTheField) {
  LatencyHistogram h;
  h.record(5'000'000);
  h.record(7'000'000);
  boost::json::object good = h.to_json().as_object();

  boost::json::object missing = good;
  missing.erase("m2");
  expect_input_error(boost::json::serialize(missing), "m2");

  boost::json::object wrong_count = good;
  wrong_count["count"] = 3;
  expect_input_error(boost::json::serialize(wrong_count), "count");

  boost::json::object bad_index = good;
  bad_index["counts"] = boost::json::array{boost::json::array{999'999, 2}};
  expect_input_error(boost::json::serialize(bad_index), "counts[0]");

  boost::json::object wrong_bins = good;
  wrong_bins["bins"] = 100;
  expect_input_error(boost::json::serialize(wrong_bins), "bins");

  boost::json::object wrong_type = good;
  wrong_type["mean"] = "fast";
  expect_input_error(boost::json::serialize(wrong_type), "mean");

  expect_input_error("[1,2]", "expected an object");
}

}  // namespace
}  // namespace llmbench::metrics
