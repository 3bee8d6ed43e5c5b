#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/client/request_record.h"
#include "harness/metrics/latency_histogram.h"

namespace llmbench::metrics {

// One turn index of a multi-turn step (docs/metrics.md, "Multi-turn sessions"): every measured
// request that was turn k of its session. Its prompt carries the whole history, so the mean
// prompt tokens and the TTFT grow with k on a server that prefills the history.
struct TurnMetrics {
  std::uint64_t requests = 0;
  std::uint64_t failed = 0;
  std::uint64_t prompt_tokens = 0;  // sum over the requests (usage, else the estimate)
  LatencyHistogram ttft{HistogramRange::latency_ns()};  // streamed replies that had a first token, ns
  LatencyHistogram e2e{HistogramRange::latency_ns()};   // every reply that ended, ns (uncorrected)

  double mean_prompt_tokens() const {
    return requests > 0 ? static_cast<double>(prompt_tokens) / static_cast<double>(requests) : 0.0;
  }
  friend bool operator==(const TurnMetrics&, const TurnMetrics&) = default;
};

// How a session ended.
enum class SessionEnd : std::uint8_t {
  completed,  // every turn it drew was answered
  failed,     // a turn failed: the session ended there (its later turns were not sent)
  cut,        // the step's duration ran out (or the run stopped) before its next turn
};

// Per-session totals and per-turn figures of one step; one per worker, merged exactly (workers,
// shards, `llmbench merge`). Only measured (non-warm-up) sessions are counted.
struct SessionMetrics {
  std::uint64_t started = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t cut = 0;
  std::uint64_t turns = 0;  // turns sent by the counted sessions (= requests)
  // Completed sessions: from the first turn's intended start to the last reply's end, think
  // times included, ns.
  LatencyHistogram duration{HistogramRange::latency_ns()};
  std::vector<TurnMetrics> per_turn;  // index k: turn k + 1

  // One turn's request (0-based turn index).
  void record_turn(std::uint32_t turn, const harness::RequestRecord& record, bool stream);
  // One session's end: `turns` sent, `start_ns`/`end_ns` its first intended start and last end.
  void record_session(SessionEnd end, std::uint32_t turns, std::int64_t start_ns, std::int64_t end_ns);
  void merge(const SessionMetrics& other);

  double mean_turns() const {
    return started > 0 ? static_cast<double>(turns) / static_cast<double>(started) : 0.0;
  }

  boost::json::value to_json() const;
  // Throws llmbench::InputError naming `where` and the field on malformed input.
  static SessionMetrics from_json(const boost::json::value& json, const std::string& where);

  friend bool operator==(const SessionMetrics&, const SessionMetrics&) = default;
};

}  // namespace llmbench::metrics
