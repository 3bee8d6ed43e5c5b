#pragma once

#include <array>
#include <boost/json/fwd.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/client/request_record.h"

namespace llmbench::metrics {

// A step over time, in one-second buckets counted from the start of its measurement window
// (warm-up requests fall in negative buckets), so a stall, a warm-up transient or a server that
// degrades during a step can be seen. Recorded per worker and merged exactly, like the
// histograms: buckets are aligned by their index, counts add.
class TimeSeries {
 public:
  static constexpr std::int64_t kBucketNs = 1'000'000'000;

  // Latencies of the requests that completed in one bucket, in 1 % wide logarithmic bins (a
  // few dozen occupied bins per bucket, where a LatencyHistogram would hold thousands).
  struct Percentiles {
    std::map<int, std::uint64_t> bins;  // bin index -> requests
    void record(std::int64_t ns);
    void merge(const Percentiles& other);
    double percentile_ns(double q) const;  // nearest rank; 0 when empty
    friend bool operator==(const Percentiles&, const Percentiles&) = default;
  };

  struct Bucket {
    std::uint64_t ok = 0;      // requests that completed successfully in this second
    std::uint64_t failed = 0;  // requests whose failure was detected in this second
    std::array<std::uint64_t, harness::kErrorKindCount> errors{};  // failed, by ErrorKind
    std::uint64_t output_tokens = 0;                               // of the successful requests
    double busy_s = 0;  // request-seconds in flight in this second: the mean in flight, as the bucket is 1 s
    Percentiles ttft, e2e;  // of the successful requests
    friend bool operator==(const Bucket&, const Bucket&) = default;
  };

  // Adds a finished request: its outcome to the bucket of its end, its time in flight to every
  // bucket it overlaps. `origin_ns` is the start of the measurement window.
  void record(const harness::RequestRecord& record, std::int64_t origin_ns);
  void merge(const TimeSeries& other);

  // The index (seconds from the window start) of buckets()[0]; buckets() is contiguous.
  std::int64_t first_second() const noexcept { return first_; }
  const std::vector<Bucket>& buckets() const noexcept { return buckets_; }
  bool empty() const noexcept { return buckets_.empty(); }

  // {"bucket_s": 1, "first_s": -2, "buckets": [{"ok", "failed", "errors": {kind: n}, "output_tokens",
  // "busy_s", "ttft_bins": [[bin, n], ...], "e2e_bins": ...}]}; from_json throws InputError naming `where`.
  boost::json::value to_json() const;
  static TimeSeries from_json(const boost::json::value& json, const std::string& where);

  friend bool operator==(const TimeSeries&, const TimeSeries&) = default;

 private:
  Bucket& at(std::int64_t second);

  std::int64_t first_ = 0;
  std::vector<Bucket> buckets_;
};

}  // namespace llmbench::metrics
