#pragma once

#include <optional>
#include <string>

#include "harness/result/run_report.h"

// One sentence per swept scenario that answers "up to which setting does it keep up?", from
// StepResult::efficiency().throughput_ratio (achieved / ideal req/s), e.g.
// "stream-coroutine reaches at least 97% of ideal up to C=256" or
// "stream-threaded reaches at least 95% of ideal up to C=64; falls below 90% at C=128 (81%, mean in flight 104 of 128)".
namespace llmbench::reports {

// A point "keeps up" while its throughput ratio is at least this.
inline constexpr double kVerdictThreshold = 0.90;

// nullopt for an unswept scenario and when no step knows its ideal (no MockReference: say
// nothing rather than guess). Repetitions of a point count by their median.
std::optional<std::string> sweep_verdict(const result::ScenarioResult& scenario);

// The knee the verdict names: the swept value where a scenario that kept up at its first points
// "falls below" the threshold; nullopt when it never does, or is below from the start.
std::optional<double> sweep_knee(const result::ScenarioResult& scenario);

// One sentence for a scenario that ran a `search` (ScenarioResult::search), e.g. "highest
// concurrency with at least 95% of requests within the SLO: 4 (5 did not; 6 probes)";
// nullopt for a scenario without one.
std::optional<std::string> search_verdict(const result::ScenarioResult& scenario);

}  // namespace llmbench::reports
