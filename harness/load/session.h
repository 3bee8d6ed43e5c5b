#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/distribution.h"
#include "harness/client/chat_request.h"

namespace llmbench::load {

// Multi-turn sessions (docs/scenarios.md, "Multi-turn sessions"): a session is a conversation
// of `turns` requests; turn k sends the whole history (every earlier user message and the
// reply the server actually returned) plus a new user message, `think_time` after the previous
// reply. With sessions a schedule slot is a session: `requests`, a warm-up in requests and an
// open loop's rate count sessions, and a session belongs whole to the shard that drew its slot.
struct SessionShape {
  Distribution turns = Distribution::fixed(1);       // requests per session, drawn per session
  Distribution think_time = Distribution::fixed(0);  // ns from a reply to the next turn, per turn

  // One turn per session is the plain request-per-slot load (no history, no extra cost).
  bool multi_turn() const { return !(turns.is_fixed() && turns.a <= 1); }
  friend bool operator==(const SessionShape&, const SessionShape&) = default;
};

inline constexpr std::uint32_t kMaxTurns = 1000;

// What is wrong with `shape` as (key, problem): turns below 1 or above kMaxTurns, a negative
// think time. nullopt when it can run.
struct ShapeProblem {
  std::string key;  // "turns" or "turn_think_time"
  std::string problem;
};
std::optional<ShapeProblem> session_shape_problem(const SessionShape& shape);

// Session `session`'s number of turns, and the think time before its turn `turn` + 1 (after
// the reply to turn `turn`, 0-based): functions of (seed, session, turn) only, so every mode
// and every sharding draws the same.
std::uint32_t session_turns(const SessionShape& shape, std::uint64_t seed, std::uint64_t session);
std::int64_t think_time_ns(const SessionShape& shape, std::uint64_t seed, std::uint64_t session, std::uint32_t turn);

// One session's conversation so far, and the request of its next turn. The history moves into
// the request and back, so building turn k costs appending one message, not copying k turns;
// what a turn costs is serialising its body, which grows with the history.
class SessionHistory {
 public:
  // The request of the next turn: the history, then `turn`'s messages (a system message in a
  // later turn is dropped: the session's first one stays at the top) and `turn`'s fields. Its
  // prompt-token estimate is the history's plus the new messages'. Valid until add_reply().
  const harness::ChatRequest& next_request(harness::ChatRequest turn);
  // The server's answer to the last next_request(): `text` as received and its output tokens
  // (usage, else estimated). It joins the history as an assistant message.
  void add_reply(std::string text, std::uint32_t tokens);

  std::uint32_t turns() const { return turns_; }  // replies added
  // The history so far (after add_reply), or the last request's messages (before it).
  const std::vector<harness::ChatMessage>& messages() const { return request_.messages; }

 private:
  harness::ChatRequest request_;
  std::uint32_t history_tokens_ = 0;  // estimate of the history's prompt tokens
  std::uint32_t turns_ = 0;
};

}  // namespace llmbench::load
