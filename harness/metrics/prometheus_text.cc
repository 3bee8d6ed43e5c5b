#include "harness/metrics/prometheus_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

namespace llmbench::metrics::prometheus {

namespace {

bool name_start(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool name_char(char c, bool colon) { return name_start(c, colon) || (c >= '0' && c <= '9'); }
bool blank(char c) { return c == ' ' || c == '\t'; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A cursor over one line; every error names the line.
class Line {
 public:
  Line(std::string_view text, std::size_t number) : text_(text), number_(number) {}

  [[noreturn]] void fail(const std::string& problem) const { throw ParseError(number_, problem); }
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  void skip_blanks() {
    while (!done() && blank(text_[pos_])) ++pos_;
  }
  // At least one blank, then any more.
  void require_blanks(std::string_view before) {
    if (done() || !blank(peek())) fail(fmt::format("expected a space before {}", before));
    skip_blanks();
  }
  std::string_view name(bool colon, std::string_view what) {
    const std::size_t begin = pos_;
    if (done() || !name_start(peek(), colon)) fail(fmt::format("expected a {}", what));
    while (!done() && name_char(peek(), colon)) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }
  // Up to the next blank or the end.
  std::string_view token() {
    const std::size_t begin = pos_;
    while (!done() && !blank(peek())) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }
  std::string_view rest() {
    std::string_view r = text_.substr(std::min(pos_, text_.size()));
    pos_ = text_.size();
    return r;
  }
  void expect(char c, std::string_view what) {
    if (peek() != c) fail(fmt::format("expected '{}' {}", c, what));
    ++pos_;
  }
  // A quoted label value with \\ \" \n escapes; the opening quote is next.
  std::string quoted() {
    expect('"', "to open a label value");
    std::string out;
    for (;;) {
      if (done()) fail("label value: missing closing quote");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (done()) fail("label value: missing closing quote");
      const char e = text_[pos_++];
      if (e == '\\') out += '\\';
      else if (e == '"') out += '"';
      else if (e == 'n') out += '\n';
      else fail(fmt::format("label value: unknown escape \\{}", e));
    }
  }

 private:
  std::string_view text_;
  std::size_t number_;
  std::size_t pos_ = 0;
};

double parse_value(const Line& line, std::string_view s) {
  if (s.empty()) line.fail("expected a value");
  std::string_view body = s;
  bool negative = false;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (iequals(body, "inf") || iequals(body, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (iequals(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  // Decimal digits, one point, an exponent: nothing from_chars would read beyond that
  // ("nan(...)", hex) is a value here.
  const bool plain = !body.empty() && std::all_of(body.begin(), body.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  });
  double value = 0;
  if (plain && body.front() != '+' && body.front() != '-') {
    const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (ec == std::errc() && end == body.data() + body.size()) return negative ? -value : value;
    if (ec == std::errc::result_out_of_range && end == body.data() + body.size()) {
      line.fail(fmt::format("value '{}' is out of range", s));
    }
  }
  line.fail(fmt::format("'{}' is not a number", s));
}

std::int64_t parse_timestamp(const Line& line, std::string_view s) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.front() == '+') {
    line.fail(fmt::format("timestamp '{}' is not an integer (milliseconds)", s));
  }
  return value;
}

std::string unescape_help(const Line& line, std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (i + 1 >= s.size()) line.fail("HELP: a lone backslash at the end");
    const char e = s[++i];
    if (e == '\\') out += '\\';
    else if (e == 'n') out += '\n';
    else line.fail(fmt::format("HELP: unknown escape \\{}", e));
  }
  return out;
}

std::optional<MetricType> type_from_name(std::string_view s) {
  if (s == "counter") return MetricType::counter;
  if (s == "gauge") return MetricType::gauge;
  if (s == "histogram") return MetricType::histogram;
  if (s == "summary") return MetricType::summary;
  if (s == "untyped") return MetricType::untyped;
  return std::nullopt;
}

void parse_comment(Line& line, Exposition& out, const std::map<std::string, bool, std::less<>>& sampled) {
  line.expect('#', "");
  line.skip_blanks();
  const std::string_view keyword = line.token();
  if (keyword != "HELP" && keyword != "TYPE") return;  // a plain comment
  line.require_blanks("the metric name");
  const std::string name(line.name(true, "metric name"));
  if (keyword == "HELP") {
    std::string docstring;
    if (!line.done()) {
      line.require_blanks("the docstring");
      docstring = unescape_help(line, line.rest());
    }
    if (!out.help.emplace(name, std::move(docstring)).second) line.fail(fmt::format("second HELP for {}", name));
    return;
  }
  line.require_blanks("the type");
  const std::string_view type_text = line.token();
  const auto type = type_from_name(type_text);
  if (!type) {
    line.fail(fmt::format("TYPE {}: '{}' is not one of counter, gauge, histogram, summary, untyped", name, type_text));
  }
  line.skip_blanks();
  if (!line.done()) line.fail(fmt::format("TYPE {}: unexpected text after the type", name));
  if (sampled.contains(name)) line.fail(fmt::format("TYPE {} comes after samples of {}", name, name));
  if (!out.types.emplace(name, *type).second) line.fail(fmt::format("second TYPE for {}", name));
}

Sample parse_sample(Line& line) {
  Sample sample;
  sample.name = std::string(line.name(true, "metric name"));
  if (line.peek() == '{') {
    line.expect('{', "");
    for (;;) {
      line.skip_blanks();
      if (line.peek() == '}') break;
      std::string label(line.name(false, "label name"));
      line.skip_blanks();
      line.expect('=', fmt::format("after label {}", label));
      line.skip_blanks();
      std::string value = line.quoted();
      for (const auto& [existing, v] : sample.labels) {
        if (existing == label) line.fail(fmt::format("label {} given twice", label));
      }
      sample.labels.emplace_back(std::move(label), std::move(value));
      line.skip_blanks();
      if (line.peek() == ',') {
        line.expect(',', "");
        continue;
      }
      if (line.peek() != '}') line.fail("expected ',' or '}' after a label value");
    }
    line.expect('}', "");
  }
  line.require_blanks("the value");
  sample.value = parse_value(line, line.token());
  line.skip_blanks();
  if (!line.done()) {
    sample.timestamp_ms = parse_timestamp(line, line.token());
    line.skip_blanks();
    if (!line.done()) line.fail("unexpected text after the timestamp");
  }
  return sample;
}

// The family name a sample's name belongs to, when its type is declared under that name.
std::string_view family_of(const Exposition& e, std::string_view name) {
  for (const std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      const std::string_view base = name.substr(0, name.size() - suffix.size());
      if (const auto it = e.types.find(base);
          it != e.types.end() && (it->second == MetricType::histogram || it->second == MetricType::summary)) {
        return base;
      }
    }
  }
  return name;
}

}  // namespace

std::string_view metric_type_name(MetricType type) noexcept {
  switch (type) {
    case MetricType::counter: return "counter";
    case MetricType::gauge: return "gauge";
    case MetricType::histogram: return "histogram";
    case MetricType::summary: return "summary";
    case MetricType::untyped: break;
  }
  return "untyped";
}

ParseError::ParseError(std::size_t line, const std::string& problem)
    : std::runtime_error(fmt::format("line {}: {}", line, problem)), line_(line) {}

MetricType Exposition::type_of_sample(std::string_view sample_name) const {
  const auto it = types.find(family_of(*this, sample_name));
  return it == types.end() ? MetricType::untyped : it->second;
}

Exposition parse(std::string_view text) {
  Exposition out;
  std::map<std::string, bool, std::less<>> sampled;  // families seen in samples (TYPE must come first)
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t eol = text.find('\n');
    const std::string_view raw = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (raw.find('\r') != std::string_view::npos) throw ParseError(number, "carriage return (lines end with LF)");
    if (raw.find('\0') != std::string_view::npos) throw ParseError(number, "NUL byte");
    Line line(raw, number);
    line.skip_blanks();
    if (line.done()) continue;
    if (line.peek() == '#') {
      parse_comment(line, out, sampled);
      continue;
    }
    Sample sample = parse_sample(line);
    sampled.emplace(std::string(family_of(out, sample.name)), true);
    out.samples.push_back(std::move(sample));
  }
  return out;
}

std::string labels_text(const std::vector<std::pair<std::string, std::string>>& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first;
    out += "=\"";
    for (const char c : labels[i].second) {
      if (c == '\\') out += "\\\\";
      else if (c == '"') out += "\\\"";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace llmbench::metrics::prometheus
