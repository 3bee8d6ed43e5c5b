#include "harness/load/session.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "common/token_estimate.h"
#include "harness/load/prompt_rng.h"

namespace llmbench::load {

namespace {

// Distribution::sample's generator interface over the prompts' PRNG (one stream per key).
struct Rng {
  PromptRng engine;
  double next_unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine); }
  double next_normal() { return std::normal_distribution<double>(0.0, 1.0)(engine); }
};

Rng rng_for(std::uint64_t seed, std::uint64_t session, std::uint32_t turn, std::uint32_t what) {
  return Rng{PromptRng{seed, session, turn, what}};
}

}  // namespace

std::optional<ShapeProblem> session_shape_problem(const SessionShape& shape) {
  const Distribution& t = shape.turns;
  // Uniform: its bounds; the others: their mean (draws are clamped to [1, kMaxTurns]).
  const double low = t.a;
  const double high = t.kind == Distribution::Kind::uniform ? t.b : t.a;
  if (!(low >= 1)) return ShapeProblem{"turns", "must be at least 1 (a session is one request or more)"};
  if (!(high <= kMaxTurns)) return ShapeProblem{"turns", fmt::format("must be at most {}", kMaxTurns)};
  if (t.b < 0 || !std::isfinite(t.b)) return ShapeProblem{"turns", "the spread must not be negative"};
  const Distribution& d = shape.think_time;
  if (d.a < 0 || d.b < 0 || !std::isfinite(d.a) || !std::isfinite(d.b))
    return ShapeProblem{"turn_think_time", "must not be negative"};
  return std::nullopt;
}

std::uint32_t session_turns(const SessionShape& shape, std::uint64_t seed, std::uint64_t session) {
  if (shape.turns.is_fixed()) return static_cast<std::uint32_t>(std::clamp(std::round(shape.turns.a), 1.0, double{kMaxTurns}));
  Rng rng = rng_for(seed, session, 0, 1);
  const Distribution& t = shape.turns;
  // uniform(2,6) draws whole numbers 2..6, each equally likely.
  const double drawn = t.kind == Distribution::Kind::uniform ? std::floor(t.a + (t.b - t.a + 1) * rng.next_unit())
                                                              : t.sample(rng);
  return static_cast<std::uint32_t>(std::clamp(std::round(drawn), 1.0, double{kMaxTurns}));
}

std::int64_t think_time_ns(const SessionShape& shape, std::uint64_t seed, std::uint64_t session, std::uint32_t turn) {
  if (shape.think_time.is_fixed()) return static_cast<std::int64_t>(std::max(0.0, shape.think_time.a));
  Rng rng = rng_for(seed, session, turn, 2);
  return static_cast<std::int64_t>(std::max(0.0, shape.think_time.sample(rng)));
}

const harness::ChatRequest& SessionHistory::next_request(harness::ChatRequest turn) {
  std::vector<harness::ChatMessage> history = std::move(request_.messages);
  std::uint32_t new_tokens = turn.prompt_tokens_estimate;
  for (harness::ChatMessage& message : turn.messages) {
    if (turns_ > 0 && message.role == "system") {
      // The turn's estimate counted it; the request does not carry it again.
      new_tokens -= std::min(new_tokens, estimate_tokens(message.content));
      continue;
    }
    history.push_back(std::move(message));
  }
  request_ = std::move(turn);
  request_.messages = std::move(history);
  request_.prompt_tokens_estimate = history_tokens_ + new_tokens;
  return request_;
}

void SessionHistory::add_reply(std::string text, std::uint32_t tokens) {
  request_.messages.push_back({"assistant", std::move(text)});
  history_tokens_ = request_.prompt_tokens_estimate + tokens;
  ++turns_;
}

}  // namespace llmbench::load
