#include "common/wall_time.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <ctime>

namespace llmbench {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  std::optional<int> digits(std::size_t n) {
    if (pos_ + n > text_.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = text_[pos_ + i];
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += n;
    return value;
  }
  bool take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool take_any(std::string_view set) {
    if (pos_ < text_.size() && set.find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool digit_next() const {
    return pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0;
  }
  bool done() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::int64_t wall_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> parse_rfc3339_ns(std::string_view text) {
  Reader r(text);
  const auto year = r.digits(4);
  if (!year || !r.take('-')) return std::nullopt;
  const auto month = r.digits(2);
  if (!month || !r.take('-')) return std::nullopt;
  const auto day = r.digits(2);
  if (!day || !r.take_any("Tt ")) return std::nullopt;
  const auto hour = r.digits(2);
  if (!hour || !r.take(':')) return std::nullopt;
  const auto minute = r.digits(2);
  if (!minute || !r.take(':')) return std::nullopt;
  const auto second = r.digits(2);
  if (!second) return std::nullopt;
  std::int64_t fraction_ns = 0;
  if (r.take('.')) {
    int n = 0;
    std::int64_t scale = 100'000'000;
    while (r.digit_next()) {
      const int d = *r.digits(1);
      if (++n > 9) return std::nullopt;
      fraction_ns += d * scale;
      scale /= 10;
    }
    if (n == 0) return std::nullopt;
  }
  std::int64_t offset_s = 0;
  if (!r.take_any("Zz")) {
    const bool plus = r.take('+');
    if (!plus && !r.take('-')) return std::nullopt;
    const auto oh = r.digits(2);
    if (!oh || !r.take(':')) return std::nullopt;
    const auto om = r.digits(2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_s = (plus ? 1 : -1) * (*oh * 3600 + *om * 60);
  }
  if (!r.done()) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*month < 1 || *month > 12 || *day < 1 || *day > kDays[*month - 1] || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*month == 2 && *day == 29 && !leap) return std::nullopt;
  const std::int64_t days = days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
  const std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_s;
  return seconds * 1'000'000'000 + fraction_ns;
}

std::string format_rfc3339_ns(std::int64_t unix_ns) {
  std::int64_t seconds = unix_ns / 1'000'000'000;
  std::int64_t nanos = unix_ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, nanos);
}

}  // namespace llmbench
