#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/client/endpoint.h"
#include "harness/client/execution_model.h"
#include "harness/client/request_fields.h"
#include "harness/load/live_progress.h"
#include "harness/load/load_plan.h"
#include "harness/load/operation.h"
#include "harness/load/prompt_source.h"
#include "harness/load/request_export.h"
#include "harness/load/server_metrics_scraper.h"
#include "harness/load/session.h"
#include "harness/load/schedule.h"
#include "harness/metrics/latency_histogram.h"
#include "harness/metrics/metrics_recorder.h"
#include "harness/metrics/session_metrics.h"

namespace llmbench::load {

// How one step sends its requests: the execution model, the operation, and what every
// request carries besides its prompt. The driver runs virtual users that pull slots from a
// Schedule; the Schedule decides when, the driver only how.
struct DriverConfig {
  harness::ExecutionModel mode = harness::ExecutionModel::coroutine;
  Operation operation = Operation::invoke;
  harness::Endpoint endpoint;
  // Requests per batch() call (Operation::batch); run_step needs it resolved (> 0). In a check
  // before that, 0 stands for the scenario's auto size.
  std::uint32_t batch_size = 1;
  std::size_t event_loops = 0;   // coroutine mode: loop threads (0 = hardware cores)
  harness::RequestFields request_fields;  // per request where the prompt sets none (request_fields.h)
  std::vector<std::pair<std::string, std::string>> headers;  // per request (e.g. x-mock-ttft-ms)
  metrics::Slo slo;
  const PromptSource* prompts = nullptr;  // required; must outlive run_step
  // --save-requests: every counted request of the step becomes a line of this export, named
  // by `export_scenario` and `step_index`; null for none. Must outlive run_step.
  RequestExport* request_export = nullptr;
  std::string export_scenario;
  std::size_t step_index = 0;
  // The target's /metrics, scraped on a thread of its own while the step runs; null for none.
  const ScrapeSettings* scrape = nullptr;
  // Multi-turn sessions (session.h): each slot is a session of this many turns; one turn (the
  // default) is one request per slot.
  SessionShape session;
};

// What a step measured. Only measured (non-warm-up) requests enter the recorder; requests
// cancelled because the run was aborted are not counted at all.
struct StepOutcome {
  metrics::MetricsRecorder recorder;
  // Open loop: how late each measured slot was sent after its intended start and, with a
  // concurrency cap, after a user was free to send it (the harness's own lateness).
  metrics::LatencyHistogram schedule_lag;
  // Open loop: how long each measured slot waited for a free user (the concurrency cap).
  metrics::LatencyHistogram cap_wait;
  // The measurement window (docs/metrics.md), the same in every mode: from the schedule's
  // measure start to its planned end (measure start + duration) or the end of the last
  // measured request, whichever comes first.
  std::int64_t window_start_ns = 0;
  std::int64_t window_end_ns = 0;
  std::uint64_t sends = 0;           // measured requests sent
  std::int64_t first_send_ns = 0;    // actual start of the first / last measured request
  std::int64_t last_send_ns = 0;
  std::uint64_t requests_per_slot = 1;
  std::optional<result::ServerMetrics> server_metrics;  // when DriverConfig::scrape was set
  std::optional<metrics::SessionMetrics> sessions;       // when DriverConfig::session is multi-turn

  double window_s() const;
  // Measured sends per second between the first and the last send: the delivered rate.
  double delivered_rate() const;
};

// Throws std::invalid_argument (field name first, "concurrency: ...") for combinations no
// driver can run: sync with concurrency > 1, an uncapped open loop outside coroutine mode,
// batch in an open loop, a batch_size below the concurrency (it would cap the requests in flight).
void check_driver_config(const DriverConfig& config, const LoadPlan& plan);

// Runs the step until the schedule stops, then merges the workers' recorders.
// `progress` may be null. Aborts (Ctrl-C, max errors) cancel requests in flight.
StepOutcome run_step(const DriverConfig& config, Schedule& schedule, LiveProgress* progress);

// The request for global request index `index`: the prompt (with a prompt line's own fields),
// then the scenario's request fields where the prompt left them unset.
harness::ChatRequest build_request(const DriverConfig& config, std::uint64_t index);

}  // namespace llmbench::load
