#include "reports/sweep_verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "reports/table.h"

namespace llmbench::reports {

namespace {

struct SweepPoint {
  double value = 0;
  double ratio = 0;                      // median throughput_ratio of the repetitions
  std::optional<double> mean_in_flight;  // median over the repetitions that measured it
  double concurrency = 0;
  // Open loop with a cap: the ideal is the cap's C / L when that is below the target rate.
  std::optional<double> capped_ideal;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string point_name(const std::string& parameter, double value) {
  if (parameter == "concurrency") return fmt::format("C={:g}", value);
  if (parameter == "rate") return fmt::format("{:g} req/s", value);
  return fmt::format("{}={:g}", parameter, value);
}

// Whole percent, rounded down so "at least 97%" is never an overstatement.
int percent_floor(double ratio) { return static_cast<int>(std::floor(ratio * 100 + 1e-9)); }
// Above 100% is measurement noise around the ideal, not a client faster than the server.
int percent_kept(double ratio) { return std::min(100, percent_floor(ratio)); }

// The scenario's swept points that know their ideal, in increasing value, and the parameter.
std::vector<SweepPoint> sweep_points(const result::ScenarioResult& scenario, std::string& parameter) {
  std::map<double, std::vector<const result::StepResult*>> by_value;
  for (const result::StepResult& step : scenario.steps) {
    if (step.sweep_parameter.empty()) continue;
    parameter = step.sweep_parameter;
    by_value[step.sweep_value].push_back(&step);
  }
  std::vector<SweepPoint> points;
  for (const auto& [value, steps] : by_value) {
    std::vector<double> ratios, in_flight;
    for (const result::StepResult* step : steps) {
      if (const auto r = step->efficiency().throughput_ratio; r && std::isfinite(*r)) ratios.push_back(*r);
      if (const auto f = step->metrics.throughput.mean_in_flight) in_flight.push_back(*f);
    }
    if (ratios.empty()) continue;  // no ideal known for this point
    SweepPoint p{value, median(ratios), std::nullopt, steps.front()->metrics.timing.concurrency,
                 std::nullopt};
    if (!in_flight.empty()) p.mean_in_flight = median(in_flight);
    const result::StepResult& first = *steps.front();
    const auto ideal = first.efficiency().ideal_requests_per_s;
    if (ideal && first.metrics.timing.target_rate_rps &&
        *ideal < *first.metrics.timing.target_rate_rps * 0.999)
      p.capped_ideal = ideal;
    points.push_back(p);
  }
  return points;
}

// The first point below the threshold: where the verdict says the scenario falls behind.
std::vector<SweepPoint>::const_iterator first_below(const std::vector<SweepPoint>& points) {
  return std::find_if(points.begin(), points.end(),
                      [](const SweepPoint& p) { return p.ratio < kVerdictThreshold; });
}

}  // namespace

std::optional<double> sweep_knee(const result::ScenarioResult& scenario) {
  std::string parameter;
  const std::vector<SweepPoint> points = sweep_points(scenario, parameter);
  const auto below = first_below(points);
  if (below == points.begin() || below == points.end()) return std::nullopt;
  return below->value;
}

std::optional<std::string> sweep_verdict(const result::ScenarioResult& scenario) {
  std::string parameter;
  const std::vector<SweepPoint> points = sweep_points(scenario, parameter);
  if (points.empty()) return std::nullopt;
  const auto below = first_below(points);
  const int threshold = percent_floor(kVerdictThreshold);
  double lowest_kept = points.front().ratio;
  for (auto it = points.begin(); it != below; ++it) lowest_kept = std::min(lowest_kept, it->ratio);

  // "Of ideal" at a capped open loop means of the cap's C / L, not of the target rate: say so.
  std::string cap_note;
  const auto capped =
      std::find_if(points.begin(), points.end(), [](const SweepPoint& p) { return p.capped_ideal; });
  if (capped != points.end()) {
    cap_note =
        fmt::format("; at {} the ideal is {} req/s (cap of {} users)", point_name(parameter, capped->value),
                    format_number(*capped->capped_ideal), format_number(capped->concurrency));
  }

  std::string text = scenario.name;
  if (below == points.end()) {
    return text +
           fmt::format(" reaches at least {}% of ideal up to {}", percent_kept(lowest_kept),
                       point_name(parameter, points.back().value)) +
           cap_note;
  }
  if (below == points.begin()) {
    text += fmt::format(" is below {}% of ideal from {} ({}%", threshold, point_name(parameter, below->value),
                        percent_floor(below->ratio));
  } else {
    text += fmt::format(" reaches at least {}% of ideal up to {}; falls below {}% at {} ({}%",
                        percent_kept(lowest_kept), point_name(parameter, std::prev(below)->value), threshold,
                        point_name(parameter, below->value), percent_floor(below->ratio));
  }
  // Fewer requests in flight than configured users: the client, not the server, fell short.
  if (below->mean_in_flight && below->concurrency > 0) {
    text += fmt::format(", mean in flight {} of {}", format_number(*below->mean_in_flight),
                        format_number(below->concurrency));
  }
  return text + ")" + cap_note;
}

std::optional<std::string> search_verdict(const result::ScenarioResult& scenario) {
  if (!scenario.search) return std::nullopt;
  const result::SearchResult& s = *scenario.search;
  const std::string share = fmt::format("at least {:g}% of requests within the SLO", s.attainment * 100);
  const std::string probes = fmt::format("{} probe{}", s.probes, s.probes == 1 ? "" : "s");
  if (!s.answer) {
    if (!s.upper) return fmt::format("SLO search: no {} probe ran ({})", s.parameter, probes);
    return fmt::format("SLO search: no {} had {}; even {} did not ({})", s.parameter, share,
                       point_name(s.parameter, *s.upper), probes);
  }
  std::string out = fmt::format("SLO search: highest {} with {}: {}", s.parameter, share,
                                point_name(s.parameter, *s.answer));
  if (!s.upper) return out + fmt::format(", the search's max: raise it to find the limit ({})", probes);
  out += fmt::format(" ({} did not; {}", point_name(s.parameter, *s.upper), probes);
  if (!s.converged) out += "; stopped at max_probes before the bracket was within the precision";
  return out + ")";
}

}  // namespace llmbench::reports
