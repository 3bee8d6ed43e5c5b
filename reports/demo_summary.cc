#include "reports/demo_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace llmbench::reports {

namespace {

// One scenario, represented by its best step (the only one unless the scenario is swept).
struct Entry {
  const result::ScenarioResult* scenario = nullptr;
  const result::StepResult* step = nullptr;
  std::string label;  // the mode, or the scenario name when the operation has the mode twice
  double rps = 0;
  std::optional<double> ideal;
  std::optional<double> ratio;
};

struct Operation {
  std::string name;
  std::vector<Entry> entries;  // best throughput first
};

bool close(double a, double b) { return std::fabs(a - b) <= 1e-3 * std::max(std::fabs(a), std::fabs(b)); }

// Three significant digits and no exponent: 158, 19.8, 0.5, 1234.
std::string number(double v) {
  if (std::fabs(v) >= 999.5) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

std::string percent(double ratio) { return fmt::format("{:.0f}%", ratio * 100); }

// How the load was offered: "8 users" in closed loop, "20 req/s offered" in open loop.
std::string load_of(const result::StepResult& step) {
  const metrics::StepTiming& t = step.metrics.timing;
  if (t.target_rate_rps) return fmt::format("{} req/s offered", number(*t.target_rate_rps));
  if (t.concurrency <= 0) return "";
  return close(t.concurrency, 1) ? "1 user" : fmt::format("{} users", number(t.concurrency));
}

Entry make_entry(const result::ScenarioResult& scenario) {
  Entry e;
  e.scenario = &scenario;
  for (const result::StepResult& step : scenario.steps) {
    if (!e.step || step.metrics.throughput.requests_per_s > e.rps) {
      e.step = &step;
      e.rps = step.metrics.throughput.requests_per_s;
    }
  }
  const result::Efficiency eff = e.step->efficiency();
  e.ideal = eff.ideal_requests_per_s;
  e.ratio = eff.throughput_ratio;
  return e;
}

std::vector<Operation> group_by_operation(const result::RunReport& report) {
  std::vector<Operation> ops;
  for (const result::ScenarioResult& scenario : report.scenarios) {
    if (scenario.steps.empty()) continue;
    auto op = std::find_if(ops.begin(), ops.end(),
                           [&](const Operation& o) { return o.name == to_name(scenario.operation); });
    if (op == ops.end()) op = ops.insert(ops.end(), Operation{std::string(to_name(scenario.operation)), {}});
    op->entries.push_back(make_entry(scenario));
  }
  for (Operation& op : ops) {
    for (Entry& e : op.entries) {
      const auto same_mode = std::count_if(op.entries.begin(), op.entries.end(), [&](const Entry& other) {
        return other.scenario->mode == e.scenario->mode;
      });
      e.label = same_mode > 1 ? e.scenario->name : std::string(to_name(e.scenario->mode));
    }
    std::stable_sort(op.entries.begin(), op.entries.end(), [](const Entry& a, const Entry& b) { return a.rps > b.rps; });
  }
  return ops;
}

// "coroutine 158 req/s (8 users, 99% of ideal 160)"; later entries of the same ideal and load
// shorten to "threaded 158 (99%)", others say "(1 user, 99% of its ideal 20)".
std::string describe(const Entry& e, const Entry& first) {
  const bool is_first = &e == &first;
  const std::string load = load_of(*e.step);
  const bool like_first = !is_first && e.ideal && first.ideal && close(*e.ideal, *first.ideal) &&
                          load == load_of(*first.step);
  std::vector<std::string> notes;
  if (!like_first && !load.empty()) notes.push_back(load);
  if (e.scenario->steps.size() > 1) notes.push_back(fmt::format("best of {} steps", e.scenario->steps.size()));
  if (!e.ratio) {
    notes.push_back("ideal unknown");
  } else if (like_first) {
    notes.push_back(percent(*e.ratio));
  } else {
    notes.push_back(fmt::format("{} of {}ideal {}", percent(*e.ratio), is_first ? "" : "its ", number(*e.ideal)));
  }
  const metrics::RequestCounts& counts = e.step->metrics.counts;
  if (counts.failed > 0) notes.push_back(fmt::format("{} of {} requests failed", counts.failed, counts.total));
  if (e.step->interrupted) notes.push_back("interrupted");
  return fmt::format("{} {}{} ({})", e.label, number(e.rps), is_first ? " req/s" : "", fmt::join(notes, ", "));
}

// The configured time per response, when every summarized step shares one.
std::optional<double> common_latency_ms(const std::vector<Operation>& ops) {
  std::optional<double> latency;
  for (const Operation& op : ops) {
    for (const Entry& e : op.entries) {
      const std::optional<double>& l = e.step->reference.e2e_ms;
      if (!l || *l <= 0 || (latency && !close(*latency, *l))) return std::nullopt;
      latency = *l;
    }
  }
  return latency;
}

bool one_at_a_time(const Entry& e) {
  const metrics::StepTiming& t = e.step->metrics.timing;
  return !t.target_rate_rps && close(t.concurrency, 1);
}

// The largest gain of the best concurrent model over one-at-a-time `sync` within one operation
// (a sync scenario with many users is not the one-request-at-a-time code the sentence means).
struct Speedup {
  double factor = 0;
  const Entry* concurrent = nullptr;
  std::vector<std::string> modes;  // the concurrent models within 10% of the best one
};

std::optional<Speedup> best_speedup(const std::vector<Operation>& ops) {
  std::optional<Speedup> best;
  for (const Operation& op : ops) {
    auto sync = std::find_if(op.entries.begin(), op.entries.end(), [](const Entry& e) {
      return e.scenario->mode == harness::ExecutionModel::sync && one_at_a_time(e);
    });
    auto concurrent = std::find_if(op.entries.begin(), op.entries.end(), [](const Entry& e) {
      return e.scenario->mode != harness::ExecutionModel::sync;
    });
    if (sync == op.entries.end() || concurrent == op.entries.end() || sync->rps <= 0) continue;
    const double factor = concurrent->rps / sync->rps;
    if (best && factor <= best->factor) continue;
    best = Speedup{factor, &*concurrent, {}};
    for (const Entry& e : op.entries) {
      if (e.scenario->mode != harness::ExecutionModel::sync && e.rps >= 0.9 * concurrent->rps)
        best->modes.push_back(e.label);
    }
  }
  return best;
}

std::string in_flight(const Entry& e) {
  const metrics::StepTiming& t = e.step->metrics.timing;
  if (t.target_rate_rps || t.concurrency <= 1) return "with requests in flight";
  return fmt::format("with {} requests in flight", number(t.concurrency));
}

std::string meaning(const std::vector<Operation>& ops, std::optional<double> latency_ms) {
  const std::optional<Speedup> speedup = best_speedup(ops);
  if (speedup && speedup->factor < 1.2) {
    return fmt::format(
        "What this means for your code: more requests in flight did not raise throughput here ({:.1f}x at best), "
        "so the target, not the client, is the limit: measure its capacity before adding concurrency.",
        speedup->factor);
  }
  if (speedup) {
    const std::string cap = latency_ms ? fmt::format("a response takes {} ms however fast the client is, so code that "
                                                     "sends one request at a time is capped near {} req/s",
                                                     number(*latency_ms), number(1e3 / *latency_ms))
                                       : "the target's latency caps code that sends one request at a time";
    return fmt::format(
        "What this means for your code: {}; {} ({}) the same target served {:.1f}x as many, "
        "so send independent LLM calls concurrently.",
        cap, in_flight(*speedup->concurrent), fmt::join(speedup->modes, " or "), speedup->factor);
  }
  std::optional<double> lo, hi;
  for (const Operation& op : ops) {
    for (const Entry& e : op.entries) {
      if (!e.ratio) continue;
      lo = lo ? std::min(*lo, *e.ratio) : *e.ratio;
      hi = hi ? std::max(*hi, *e.ratio) : *e.ratio;
    }
  }
  if (lo) {
    return fmt::format(
        "What this means for your code: no client beats requests in flight / latency, and these got {} to {} of it, "
        "so to go faster keep more requests in flight, not faster code.",
        percent(*lo), percent(*hi));
  }
  return "What this means: without a target of known latency there is no ideal to compare with; run against the "
         "embedded mock ([target.mock] or --target mock) to see how close each model gets.";
}

// The model furthest below its ideal, when that is far enough to be the client's doing.
std::string shortfall(const std::vector<Operation>& ops) {
  const Entry* worst = nullptr;
  const Operation* worst_op = nullptr;
  for (const Operation& op : ops) {
    for (const Entry& e : op.entries) {
      if (e.ratio && (!worst || *e.ratio < *worst->ratio)) {
        worst = &e;
        worst_op = &op;
      }
    }
  }
  if (!worst || *worst->ratio >= 0.9) return "";
  return fmt::format("{} {} reached only {} of its ideal: there the client side (or failed requests), not the "
                     "target's latency, was the limit.\n",
                     worst_op->name, worst->label, percent(*worst->ratio));
}

}  // namespace

std::string format_summary(const result::RunReport& report) {
  const std::vector<Operation> ops = group_by_operation(report);
  if (ops.empty()) return "The report has no measured scenarios.\n";
  const std::optional<double> latency_ms = common_latency_ms(ops);
  bool any_ideal = false;
  std::uint64_t failed = 0;
  for (const Operation& op : ops) {
    for (const Entry& e : op.entries) {
      any_ideal = any_ideal || e.ratio.has_value();
      failed += e.step->metrics.counts.failed;
    }
  }

  std::string out;
  if (report.interrupted) out += "The run was interrupted: these figures are partial.\n";
  if (latency_ms) {
    out += fmt::format("What it found (req/s: successful requests per second; ideal: users / {} ms, the target's "
                       "known time per response):\n",
                       number(*latency_ms));
  } else if (any_ideal) {
    out += "What it found (req/s: successful requests per second; ideal: users / the target's known time per "
           "response):\n";
  } else {
    out += "What it found (req/s: successful requests per second; the target's latency is unknown, so there is no "
           "ideal to compare with):\n";
  }
  for (const Operation& op : ops) {
    std::vector<std::string> parts;
    for (const Entry& e : op.entries) parts.push_back(describe(e, op.entries.front()));
    out += fmt::format("  {}: {}\n", op.name, fmt::join(parts, ", "));
  }
  out += meaning(ops, latency_ms) + "\n";
  out += shortfall(ops);
  if (failed > 0) {
    out += fmt::format("{} request{} failed; the report's error columns say of what kind.\n", failed,
                       failed == 1 ? "" : "s");
  }
  return out;
}

}  // namespace llmbench::reports
