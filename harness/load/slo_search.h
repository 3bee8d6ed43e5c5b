#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmbench::load {

// `search = { ... }` in a [[scenario]]: find the highest concurrency (closed loop) or rate (open
// loop) at which the share of requests meeting the scenario's `slo` stays at or above
// `attainment`, by doubling from `min` until a step fails (bracketing), then bisecting the
// bracket until it is narrower than `precision` (relative; for concurrency at least one user),
// as GuideLLM's sweep and vLLM's serve_sla do. Each probe is an ordinary step of the
// scenario's plan (its requests/duration/warm-up), kept in the report like any sweep step.
struct SearchSpec {
  bool enabled = false;
  std::string parameter;  // "concurrency" or "rate"
  double min = 1;
  double max = 0;                // 0: 1024 users for concurrency; a rate search must give it
  double attainment = 0.95;      // good / all requests of a probe step
  double precision = 0.1;        // stop when (upper - answer) <= precision * answer
  std::uint32_t max_probes = 16;  // bound on the steps one search runs

  friend bool operator==(const SearchSpec&, const SearchSpec&) = default;
};

// The pure search logic (no I/O, no clock): next() names the value to probe, record() takes
// its measured attainment. Deterministic given the attainments, so tests drive it with a model.
class SloSearch {
 public:
  explicit SloSearch(SearchSpec spec);

  // The next value to measure, or nullopt when the search is over.
  std::optional<double> next() const;
  void record(double value, double attainment);

  struct Probe {
    double value;
    double attainment;
    bool met;
  };
  struct Outcome {
    std::optional<double> answer;  // highest value that met the target; none if even `min` failed
    std::optional<double> upper;   // lowest value that failed; none if `max` met it (capped)
    bool converged = false;        // the bracket is within `precision` (or capped / none)
    std::vector<Probe> probes;     // in the order measured
  };
  Outcome outcome() const;

 private:
  bool integral() const { return spec_.parameter == "concurrency"; }
  bool narrow_enough() const;

  SearchSpec spec_;
  std::vector<Probe> probes_;
  std::optional<double> best_pass_;
  std::optional<double> lowest_fail_;
};

}  // namespace llmbench::load
