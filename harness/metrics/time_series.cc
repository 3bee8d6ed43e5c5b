#include "harness/metrics/time_series.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "common/input_error.h"
#include "harness/metrics/json_fields.h"

namespace llmbench::metrics {

namespace jf = json_fields;

namespace {

const double kLogBinWidth = std::log(1.01);
// A step longer than a day, or a clock stamp of 0, is not spread over buckets one by one.
constexpr std::int64_t kMaxSpreadBuckets = 86'400;

std::int64_t second_of(std::int64_t ns, std::int64_t origin_ns) {
  const std::int64_t d = ns - origin_ns;
  return d >= 0 ? d / TimeSeries::kBucketNs : -((-d + TimeSeries::kBucketNs - 1) / TimeSeries::kBucketNs);
}

boost::json::array bins_json(const TimeSeries::Percentiles& p) {
  boost::json::array out;
  for (const auto& [bin, n] : p.bins) out.push_back(boost::json::array{bin, n});
  return out;
}

TimeSeries::Percentiles bins_from(const boost::json::object& o, std::string_view key,
                                  const std::string& where) {
  TimeSeries::Percentiles p;
  const boost::json::array& bins = jf::get_array(o, key, where);
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const std::string what = std::string(key) + "[" + std::to_string(i) + "]";
    const auto* pair = bins[i].if_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_int64())
      throw InputError(where, what, "expected [bin, count]");
    p.bins[static_cast<int>((*pair)[0].as_int64())] += jf::to_u64((*pair)[1], where, what);
  }
  return p;
}

}  // namespace

void TimeSeries::Percentiles::record(std::int64_t ns) {
  if (ns <= 0) ns = 1;
  ++bins[static_cast<int>(std::floor(std::log(static_cast<double>(ns)) / kLogBinWidth))];
}

void TimeSeries::Percentiles::merge(const Percentiles& other) {
  for (const auto& [bin, n] : other.bins) bins[bin] += n;
}

double TimeSeries::Percentiles::percentile_ns(double q) const {
  std::uint64_t total = 0;
  for (const auto& [bin, n] : bins) total += n;
  if (total == 0) return 0;
  const auto rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q / 100 * static_cast<double>(total))));
  std::uint64_t seen = 0;
  for (const auto& [bin, n] : bins) {
    seen += n;
    if (seen >= rank) return std::exp((bin + 0.5) * kLogBinWidth);  // the bin's geometric middle
  }
  return std::exp((bins.rbegin()->first + 0.5) * kLogBinWidth);
}

TimeSeries::Bucket& TimeSeries::at(std::int64_t second) {
  if (buckets_.empty()) {
    first_ = second;
    buckets_.resize(1);
  } else if (second < first_) {
    buckets_.insert(buckets_.begin(), static_cast<std::size_t>(first_ - second), Bucket{});
    first_ = second;
  } else if (second >= first_ + static_cast<std::int64_t>(buckets_.size())) {
    buckets_.resize(static_cast<std::size_t>(second - first_ + 1));
  }
  return buckets_[static_cast<std::size_t>(second - first_)];
}

void TimeSeries::record(const harness::RequestRecord& r, std::int64_t origin_ns) {
  if (r.end_ns <= 0) return;
  Bucket& end = at(second_of(r.end_ns, origin_ns));
  if (r.ok()) {
    ++end.ok;
    end.output_tokens += r.output_tokens;
    if (r.first_token_ns > 0) end.ttft.record(r.first_token_ns - r.start_ns);
    end.e2e.record(r.end_ns - r.start_ns);
  } else {
    ++end.failed;
    ++end.errors[static_cast<std::size_t>(r.error)];
  }
  if (r.start_ns <= 0 || r.start_ns >= r.end_ns) return;
  const std::int64_t first = second_of(r.start_ns, origin_ns), last = second_of(r.end_ns, origin_ns);
  if (last - first > kMaxSpreadBuckets) return;
  for (std::int64_t s = first; s <= last; ++s) {
    const std::int64_t lo = std::max(r.start_ns, origin_ns + s * kBucketNs);
    const std::int64_t hi = std::min(r.end_ns, origin_ns + (s + 1) * kBucketNs);
    if (hi > lo) at(s).busy_s += static_cast<double>(hi - lo) / 1e9;
  }
}

void TimeSeries::merge(const TimeSeries& other) {
  for (std::size_t i = 0; i < other.buckets_.size(); ++i) {
    const Bucket& b = other.buckets_[i];
    Bucket& mine = at(other.first_ + static_cast<std::int64_t>(i));
    mine.ok += b.ok;
    mine.failed += b.failed;
    for (std::size_t k = 0; k < b.errors.size(); ++k) mine.errors[k] += b.errors[k];
    mine.output_tokens += b.output_tokens;
    mine.busy_s += b.busy_s;
    mine.ttft.merge(b.ttft);
    mine.e2e.merge(b.e2e);
  }
}

boost::json::value TimeSeries::to_json() const {
  boost::json::array buckets;
  for (const Bucket& b : buckets_) {
    boost::json::object errors;
    for (std::size_t k = 1; k < b.errors.size(); ++k) {
      if (b.errors[k] > 0) errors[harness::error_kind_name(static_cast<harness::ErrorKind>(k))] = b.errors[k];
    }
    buckets.push_back(boost::json::object{{"ok", b.ok},
                                          {"failed", b.failed},
                                          {"errors", std::move(errors)},
                                          {"output_tokens", b.output_tokens},
                                          {"busy_s", jf::number_or_null(b.busy_s)},
                                          {"ttft_bins", bins_json(b.ttft)},
                                          {"e2e_bins", bins_json(b.e2e)}});
  }
  return boost::json::object{
      {"bucket_s", kBucketNs / 1'000'000'000}, {"first_s", first_}, {"buckets", std::move(buckets)}};
}

TimeSeries TimeSeries::from_json(const boost::json::value& json, const std::string& where) {
  const boost::json::object& o = jf::as_object(json, where);
  if (jf::get_i64(o, "bucket_s", where) != kBucketNs / 1'000'000'000)
    throw InputError(where, "bucket_s", "only 1-second buckets are supported");
  TimeSeries series;
  series.first_ = jf::get_i64(o, "first_s", where);
  const boost::json::array& buckets = jf::get_array(o, "buckets", where);
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const std::string here = where + ".buckets[" + std::to_string(i) + "]";
    const boost::json::object& b = jf::as_object(buckets[i], here);
    Bucket bucket;
    bucket.ok = jf::get_u64(b, "ok", here);
    bucket.failed = jf::get_u64(b, "failed", here);
    for (const auto& [name, n] : jf::get_object(b, "errors", here)) {
      const auto kind = harness::error_kind_from_name(name);
      if (!kind) throw InputError(here + ".errors", std::string(name), "unknown error kind");
      bucket.errors[static_cast<std::size_t>(*kind)] = jf::to_u64(n, here + ".errors", std::string(name));
    }
    bucket.output_tokens = jf::get_u64(b, "output_tokens", here);
    bucket.busy_s = jf::get_double(b, "busy_s", here);
    bucket.ttft = bins_from(b, "ttft_bins", here);
    bucket.e2e = bins_from(b, "e2e_bins", here);
    series.buckets_.push_back(std::move(bucket));
  }
  return series;
}

}  // namespace llmbench::metrics
