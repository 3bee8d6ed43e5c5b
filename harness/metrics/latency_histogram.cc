#include "harness/metrics/latency_histogram.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/input_error.h"
#include "harness/metrics/json_fields.h"

namespace llmbench::metrics {

namespace bh = boost::histogram;
namespace jf = json_fields;

namespace {

// Bins of constant ratio r = (highest/lowest)^(1/n). A bin's geometric centre is within
// sqrt(r) - 1 of any value in it, so r <= (1 + kMaxRelativeError)^2 keeps the stated bound.
unsigned bins_for(const HistogramRange& range) {
  if (!(range.lowest > 0) || !(range.highest > range.lowest) || !std::isfinite(range.highest)) {
    throw std::invalid_argument("histogram range must satisfy 0 < lowest < highest");
  }
  const double max_ratio =
      (1.0 + LatencyHistogram::kMaxRelativeError) * (1.0 + LatencyHistogram::kMaxRelativeError);
  // Slightly under the limit so rounding of the log transform cannot push a bin past it.
  const double bins = std::ceil(std::log(range.highest / range.lowest) / std::log(max_ratio) * 1.0001);
  if (bins > 1e7) throw std::invalid_argument("histogram range too wide");
  return static_cast<unsigned>(bins);
}

}  // namespace

LatencyHistogram::LatencyHistogram(HistogramRange range)
    : range_(range),
      histogram_(bh::make_histogram_with(bh::dense_storage<std::uint64_t>(),
                                         Axis(bins_for(range), range.lowest, range.highest))) {}

void LatencyHistogram::record_value(double value) {
  if (std::isnan(value)) value = 0;
  // log() of zero or a negative value is not a number; those belong to underflow anyway.
  histogram_(value >= range_.lowest ? value : range_.lowest * 0.5);
  if (count_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  ++count_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (value - mean_);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (!(range_ == other.range_)) throw std::invalid_argument("cannot merge histograms with different ranges");
  if (other.count_ == 0) return;
  histogram_ += other.histogram_;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
    mean_ = other.mean_;
    m2_ = other.m2_;
    count_ = other.count_;
    return;
  }
  // Chan, Golub and LeVeque's pairwise update of mean and sum of squared deviations.
  const double na = static_cast<double>(count_);
  const double nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * nb / n;
  m2_ += other.m2_ + delta * delta * na * nb / n;
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double LatencyHistogram::stddev() const noexcept {
  if (count_ < 2) return 0;
  return std::sqrt(std::max(0.0, m2_) / static_cast<double>(count_));
}

std::uint64_t LatencyHistogram::underflow() const { return histogram_.at(-1); }
std::uint64_t LatencyHistogram::overflow() const {
  return histogram_.at(static_cast<int>(histogram_.axis().size()));
}
std::size_t LatencyHistogram::bin_count() const noexcept {
  return static_cast<std::size_t>(histogram_.axis().size());
}

double LatencyHistogram::bin_representative(int index) const {
  const Axis& axis = histogram_.axis();
  const double centre = std::sqrt(axis.value(index) * axis.value(index + 1));
  return std::clamp(centre, min_, max_);
}

double LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(std::isnan(q) ? 0.0 : q, 0.0, 100.0);
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q / 100.0 * static_cast<double>(count_) - 1e-9)));
  if (rank <= 1) return min_;
  if (rank >= count_) return max_;
  std::uint64_t seen = underflow();
  if (seen >= rank) return min_;
  const int bins = histogram_.axis().size();
  for (int i = 0; i < bins; ++i) {
    seen += histogram_.at(i);
    if (seen >= rank) return bin_representative(i);
  }
  return max_;
}

std::vector<std::pair<double, double>> LatencyHistogram::cdf() const {
  std::vector<std::pair<double, double>> points;
  if (count_ == 0) return points;
  const double total = static_cast<double>(count_);
  std::uint64_t seen = underflow();
  if (seen > 0) points.emplace_back(min_, static_cast<double>(seen) / total);
  const int bins = histogram_.axis().size();
  for (int i = 0; i < bins; ++i) {
    const std::uint64_t c = histogram_.at(i);
    if (c == 0) continue;
    seen += c;
    // The bin's upper edge (clamped to max): every sample counted so far is <= it.
    points.emplace_back(std::min(histogram_.axis().value(i + 1), max_), static_cast<double>(seen) / total);
  }
  if (seen < count_) points.emplace_back(max_, 1.0);
  return points;
}

boost::json::value LatencyHistogram::to_json() const {
  boost::json::object json;
  json["lowest"] = range_.lowest;
  json["highest"] = range_.highest;
  json["bins"] = static_cast<std::uint64_t>(bin_count());
  json["count"] = count_;
  json["min"] = min();
  json["max"] = max();
  json["mean"] = mean_;
  json["m2"] = m2_;
  json["underflow"] = underflow();
  json["overflow"] = overflow();
  boost::json::array counts;
  const int bins = histogram_.axis().size();
  for (int i = 0; i < bins; ++i) {
    const std::uint64_t c = histogram_.at(i);
    if (c != 0) counts.push_back(boost::json::array{i, c});
  }
  json["counts"] = std::move(counts);
  return json;
}

LatencyHistogram LatencyHistogram::from_json(const boost::json::value& json, const std::string& where) {
  const boost::json::object& object = jf::as_object(json, where);
  HistogramRange range{jf::get_double(object, "lowest", where), jf::get_double(object, "highest", where)};
  if (!(range.lowest > 0) || !(range.highest > range.lowest) || !std::isfinite(range.highest)) {
    throw InputError(where, "lowest/highest", "histogram range must satisfy 0 < lowest < highest");
  }
  LatencyHistogram histogram(range);
  if (jf::get_u64(object, "bins", where) != histogram.bin_count()) {
    throw InputError(where, "bins",
                     "does not match the range at 0.1% precision (report from another version?)");
  }
  const std::uint64_t count = jf::get_u64(object, "count", where);
  const int bins = static_cast<int>(histogram.bin_count());
  std::uint64_t total = 0;
  auto add = [&](int index, std::uint64_t c, const char* field) {
    if (c > std::numeric_limits<std::uint64_t>::max() - total)
      throw InputError(where, field, "count overflow");
    total += c;
    histogram.histogram_.at(index) = c;
  };
  add(-1, jf::get_u64(object, "underflow", where), "underflow");
  add(bins, jf::get_u64(object, "overflow", where), "overflow");
  int previous = -1;
  const boost::json::array& counts = jf::get_array(object, "counts", where);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const std::string field = "counts[" + std::to_string(k) + "]";
    if (!counts[k].is_array() || counts[k].get_array().size() != 2) {
      throw InputError(where, field, "expected an [index, count] pair");
    }
    const boost::json::array& pair = counts[k].get_array();
    const std::uint64_t index = jf::to_u64(pair[0], where, field + "[0]");
    if (index >= static_cast<std::uint64_t>(bins) || static_cast<int>(index) <= previous) {
      throw InputError(where, field, "bin index out of range or not increasing");
    }
    previous = static_cast<int>(index);
    add(previous, jf::to_u64(pair[1], where, field + "[1]"), field.c_str());
  }
  if (total != count) {
    throw InputError(where, "count",
                     "is " + std::to_string(count) + " but the bins hold " + std::to_string(total));
  }
  histogram.count_ = count;
  if (count > 0) {
    histogram.min_ = jf::get_double(object, "min", where);
    histogram.max_ = jf::get_double(object, "max", where);
    histogram.mean_ = jf::get_double(object, "mean", where);
    histogram.m2_ = jf::get_double(object, "m2", where);
    if (histogram.min_ > histogram.max_) throw InputError(where, "min", "is greater than max");
  }
  return histogram;
}

bool operator==(const LatencyHistogram& a, const LatencyHistogram& b) {
  auto near = [](double x, double y) {
    return x == y || std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y));
  };
  return a.range_ == b.range_ && a.count_ == b.count_ && a.min() == b.min() && a.max() == b.max() &&
         near(a.mean_, b.mean_) && near(a.stddev(), b.stddev()) && a.histogram_ == b.histogram_;
}

}  // namespace llmbench::metrics
