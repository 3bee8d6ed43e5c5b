#pragma once

#include <array>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/client/error_kind.h"

namespace llmbench::metrics {

// One distinct failure message and how many failed requests carried it.
struct ErrorMessage {
  int http_status = 0;  // the response's status; 0 when there was none (connect, timeout, ...)
  std::string text;     // what the server or the client said, the "HTTP nnn: " prefix removed
  std::uint64_t count = 0;

  friend bool operator==(const ErrorMessage&, const ErrorMessage&) = default;
};

// Why the requests of one error kind failed: every HTTP status with its count, and the first
// distinct messages. Bounded, so a run of millions of failures keeps a few hundred bytes.
struct ErrorKindDetail {
  static constexpr std::size_t kMaxMessages = 5;
  static constexpr std::size_t kMaxMessageChars = 200;

  std::map<int, std::uint64_t> http_statuses;  // status -> failed requests; status 0 not kept
  std::vector<ErrorMessage> messages;          // first distinct (status, text), at most kMaxMessages

  bool empty() const noexcept { return http_statuses.empty() && messages.empty(); }
  // Adds `count` requests with this status and message. The text is bounded here; an empty
  // one, or a new one beyond kMaxMessages, is counted only in http_statuses.
  void add(int http_status, std::string_view text, std::uint64_t count = 1);
  friend bool operator==(const ErrorKindDetail&, const ErrorKindDetail&) = default;
};

// Error details of a step, per ErrorKind. Filled from failed requests only (never on the path
// of a successful one); merges like counts: statuses add, message lists union (bounded).
struct ErrorDetails {
  std::array<ErrorKindDetail, harness::kErrorKindCount> by_kind{};

  const ErrorKindDetail& of(harness::ErrorKind kind) const { return by_kind[static_cast<std::size_t>(kind)]; }
  bool empty() const noexcept;
  // Records one failed request; `message` is RequestRecord::error_message (already redacted).
  void add(harness::ErrorKind kind, int http_status, std::string_view message);
  void merge(const ErrorDetails& other);
  friend bool operator==(const ErrorDetails&, const ErrorDetails&) = default;

  // report.json: {"http_4xx": {"http_statuses": {"401": 6}, "messages": [{"http_status": 401,
  // "text": "...", "count": 6}]}, ...}, kinds without details left out (docs/report-schema.md).
  boost::json::value to_json() const;
  // Throws llmbench::InputError naming `where`; lists longer than the bounds are cut to them.
  static ErrorDetails from_json(const boost::json::value& value, const std::string& where);
};

// "HTTP 401: Incorrect API key" -> "Incorrect API key" when the record's status is 401.
std::string_view strip_status_prefix(std::string_view message, int http_status);

}  // namespace llmbench::metrics
