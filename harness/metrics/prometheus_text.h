#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmbench::metrics::prometheus {

// A strict reader of the Prometheus text exposition format, version 0.0.4 (what vLLM, SGLang,
// TGI and llama.cpp's server expose at /metrics). No Debian package offers a C++ parser, so
// this is a small one: the format is line based and small, and strictness makes a server's
// malformed output an error with a line number instead of silently wrong figures.
//
// Accepted, per line (LF-terminated; a final line without LF is accepted):
//   empty line
//   # HELP name docstring          (docstring escapes \\ and \n)
//   # TYPE name counter|gauge|histogram|summary|untyped   (at most once per name, before its samples)
//   # anything else                (a comment)
//   name[{label="value",...}] value [timestamp]
// Names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (unique per sample),
// label values escape \\ \" and \n; a trailing comma inside the braces is allowed. Values are
// floats (Go syntax: 1, -2.5e3, NaN, +Inf, -Inf); timestamps are integer milliseconds.
// Fields are separated by spaces or tabs.

enum class MetricType : std::uint8_t { untyped, counter, gauge, histogram, summary };
std::string_view metric_type_name(MetricType type) noexcept;

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // as given, in order
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
};

struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, MetricType, std::less<>> types;  // from # TYPE lines
  std::map<std::string, std::string, std::less<>> help;  // from # HELP lines, unescaped

  // The family a sample belongs to: for a histogram or summary `x`, the samples x_bucket,
  // x_sum, x_count (and x itself for a summary's quantiles) are of family `x`.
  MetricType type_of_sample(std::string_view sample_name) const;
};

// "line 3: label value: unknown escape \q": the line (1-based) and what is wrong there.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t line, const std::string& problem);
  std::size_t line() const noexcept { return line_; }

 private:
  std::size_t line_;
};

// Throws ParseError at the first malformed line.
Exposition parse(std::string_view text);

// `{a="x",b="y\""}` with the format's escapes, "" without labels: a series' labels as text.
std::string labels_text(const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace llmbench::metrics::prometheus
