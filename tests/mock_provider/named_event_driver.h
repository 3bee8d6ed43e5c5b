#pragma once

// For the mock's wire tests of the named-event APIs (Anthropic Messages, OpenAI Responses):
// drives a Provider without a network (head, timed pieces, whole body) and splits an SSE body
// of named events ("event: X\ndata: {...}\n\n") into (name, parsed data) pairs.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_provider/provider.h"

namespace llmbench::mock::testing {

inline constexpr std::int64_t kT0 = 1'000'000'000;

struct Collected {
  ResponseHead head;
  std::vector<BodyPiece> pieces;
  std::string body{};
  bool stalled = false;
  bool dropped = false;
};

struct Call {
  std::string target;
  std::string body{};
  RequestHeaders headers{};
};

inline Collected call(Provider& provider, const Call& c, std::int64_t t0 = kT0) {
  IncomingRequest in;
  in.method = "POST";
  in.target = c.target;
  in.body = c.body;
  in.headers = c.headers;
  auto exchange = provider.handle(in, t0);
  Collected out;
  out.head = exchange->head();
  if (exchange->stalled()) {
    out.stalled = true;
    return out;
  }
  exchange->begin(t0);
  for (int i = 0; i < 100000; ++i) {
    BodyPiece piece = exchange->next_piece();
    out.body += piece.bytes;
    out.dropped = piece.then == BodyPiece::Then::drop;
    const bool more = piece.then == BodyPiece::Then::more;
    out.pieces.push_back(std::move(piece));
    if (!more) break;
  }
  return out;
}

inline std::string header(const ResponseHead& head, std::string_view name) {
  for (const auto& [n, v] : head.headers) {
    if (n == name) return v;
  }
  return {};
}

struct NamedEvent {
  std::string name;
  boost::json::value data;
};

inline std::vector<NamedEvent> named_events(std::string_view body) {
  std::vector<NamedEvent> out;
  while (!body.empty()) {
    const std::size_t end = body.find("\n\n");
    EXPECT_NE(end, std::string_view::npos) << "unterminated event: " << body;
    if (end == std::string_view::npos) break;
    const std::string_view event = body.substr(0, end);
    body.remove_prefix(end + 2);
    const std::size_t newline = event.find('\n');
    EXPECT_TRUE(event.starts_with("event: ")) << event;
    EXPECT_NE(newline, std::string_view::npos) << event;
    if (!event.starts_with("event: ") || newline == std::string_view::npos) break;
    const std::string_view data = event.substr(newline + 1);
    EXPECT_TRUE(data.starts_with("data: ")) << event;
    NamedEvent parsed{std::string(event.substr(7, newline - 7)), boost::json::parse(data.substr(6))};
    // Every event's data repeats its name as its type (both APIs).
    EXPECT_EQ(parsed.data.at("type").as_string(), parsed.name) << event;
    out.push_back(std::move(parsed));
  }
  return out;
}

inline std::vector<std::string> names(const std::vector<NamedEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.name);
  return out;
}

}  // namespace llmbench::mock::testing
