#include "harness/load/progress_line.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace llmbench::load {

namespace {

struct Field {
  std::string text;
  int priority;  // higher stays longer when the line must shrink
};

std::string join(const std::vector<Field>& fields) {
  std::string line;
  for (const Field& f : fields) {
    if (!line.empty()) line += "  ";
    line += f.text;
  }
  return line;
}

// Cuts `text` to at most `bytes` bytes without splitting a UTF-8 sequence.
void cut(std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  text.resize(bytes);
}

// Display columns of UTF-8 text (one per code point: labels are names, not wide scripts).
std::size_t columns(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void cut_to_columns(std::string& text, std::size_t max_columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen == max_columns) {
      cut(text, i);
      return;
    }
    ++seen;
  }
}

}  // namespace

std::string format_clock(double seconds) {
  const auto s = static_cast<long long>(std::max(0.0, std::round(seconds)));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

std::string format_progress_line(const ProgressSnapshot& s, std::size_t width) {
  std::vector<Field> fields;
  if (!s.label.empty()) fields.push_back({std::string(s.label), 5});
  if (s.in_warmup) {
    fields.push_back({s.warmup_planned > 0 ? fmt::format("warm-up {}/{}", s.warmup_done, s.warmup_planned)
                                           : fmt::format("warm-up {}", s.warmup_done),
                      6});
  } else {
    fields.push_back(
        {s.planned > 0 ? fmt::format("{}/{} done", s.done, s.planned) : fmt::format("{} done", s.done), 6});
    if (s.warmup_done > 0) fields.push_back({fmt::format("(+{} warm-up)", s.warmup_done), 0});
  }
  fields.push_back({fmt::format("{:.1f} req/s", s.rate), 3});
  fields.push_back({fmt::format("{} error{}", s.errors, s.errors == 1 ? "" : "s"), s.errors > 0 ? 4 : 1});
  fields.push_back(
      {s.e2e_p99_ms ? fmt::format("e2e p99 {:.1f} ms", *s.e2e_p99_ms) : std::string("e2e p99 -"), 2});
  fields.push_back({s.remaining_s ? fmt::format("{} elapsed, ~{} left", format_clock(s.elapsed_s),
                                                format_clock(*s.remaining_s))
                                  : fmt::format("{} elapsed", format_clock(s.elapsed_s)),
                    3});

  const std::size_t limit = width > 1 ? width - 1 : 1;
  std::string line = join(fields);
  while (columns(line) > limit && fields.size() > 1) {
    // Drop the least important field; among equals, the rightmost.
    auto victim = fields.begin();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it->priority <= victim->priority) victim = it;
    }
    fields.erase(victim);
    line = join(fields);
  }
  cut_to_columns(line, limit);
  return line;
}

std::size_t terminal_width(std::FILE* out) {
  winsize size{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr) {
    std::size_t columns_env = 0;
    const std::string_view text(env);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), columns_env);
    if (ec == std::errc() && end == text.data() + text.size() && columns_env > 0) return columns_env;
  }
  return 80;
}

void RateWindow::reset(std::int64_t now_ns, std::uint64_t count) {
  samples_.clear();
  samples_.emplace_back(now_ns, count);
}

double RateWindow::update(std::int64_t now_ns, std::uint64_t count) {
  if (samples_.empty()) {
    reset(now_ns, count);
    return 0;
  }
  samples_.emplace_back(now_ns, count);
  // Keep the newest sample at or before the window's start, so the rate spans a whole window.
  while (samples_.size() > 2 && samples_[1].first <= now_ns - window_ns_) samples_.pop_front();
  const auto& [then_ns, then_count] = samples_.front();
  if (now_ns <= then_ns) return 0;
  return static_cast<double>(count - then_count) * 1e9 / static_cast<double>(now_ns - then_ns);
}

}  // namespace llmbench::load
