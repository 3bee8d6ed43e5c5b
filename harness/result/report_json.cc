#include "harness/result/report_json.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/input_error.h"
#include "harness/metrics/exact_json.h"
#include "harness/metrics/json_fields.h"
#include "harness/metrics/percentile_summary.h"
#include "harness/result/workload_config.h"

namespace llmbench::result {

namespace jf = metrics::json_fields;
namespace json = boost::json;
using json::array;
using json::object;
using json::value;

namespace {

constexpr double kNsToMs = 1e-6;

// Latencies are summarised in ms, counts and rates as they are; the key says the unit.
std::pair<std::string, double> summary_unit(std::string_view name) {
  if (name == "output_tokens" || name == "output_tokens_per_s") return {std::string(name), 1.0};
  return {std::string(name) + "_ms", kNsToMs};
}

value summary_json(const metrics::LatencyHistogram& h, double scale) {
  const metrics::PercentileSummary s = metrics::summarize(h, scale);
  return object{{"count", s.count}, {"min", s.min}, {"max", s.max}, {"mean", s.mean}, {"stddev", s.stddev},
                {"p50", s.p50},     {"p90", s.p90}, {"p95", s.p95}, {"p99", s.p99},   {"p99_9", s.p999}};
}

template <NamedEnum E>
E get_enum(const object& o, std::string_view key, const std::string& where) {
  return parse_name<E>(jf::get_string(o, key, where), where, std::string(key));
}

// Fields in report order, for writing and reading alike. rejected_attempts and the window were
// added after schema version 1 first shipped: optional on reading, so older reports still read.
using Counts = metrics::RequestCounts;
constexpr std::pair<const char*, std::uint64_t Counts::*> kCounts[] = {
    {"total", &Counts::total},   {"ok", &Counts::ok},
    {"failed", &Counts::failed}, {"retries", &Counts::retries},
    {"input_tokens", &Counts::input_tokens}, {"output_tokens", &Counts::output_tokens},
    {"good", &Counts::good},     {"rejected_attempts", &Counts::rejected_attempts}};
using Window = metrics::WindowWork;
constexpr std::pair<const char*, double Window::*> kWindow[] = {
    {"ok", &Window::ok}, {"good", &Window::good}, {"output_tokens", &Window::output_tokens},
    {"total_tokens", &Window::total_tokens}, {"busy_s", &Window::busy_s}};

value counts_json(const Counts& c) {
  object counts;
  for (const auto& [key, member] : kCounts) counts[key] = c.*member;
  object errors;
  for (std::size_t i = 1; i < harness::kErrorKindCount; ++i)
    errors[to_name(static_cast<harness::ErrorKind>(i))] = c.errors_by_kind[i];
  counts["errors"] = std::move(errors);
  // Only when some were estimated: reports of servers that always send usage stay as they were.
  if (c.estimated_usage > 0) counts["estimated_usage"] = c.estimated_usage;
  if (c.counted_usage > 0) counts["counted_usage"] = c.counted_usage;
  if (c.reasoning_tokens > 0) counts["reasoning_tokens"] = c.reasoning_tokens;
  if (c.stopped_early > 0) counts["stopped_early"] = c.stopped_early;
  if (c.window.measured) {
    object window;
    for (const auto& [key, member] : kWindow) window[key] = c.window.*member;
    counts["window"] = std::move(window);
  }
  return counts;
}

Counts counts_from(const object& o, const std::string& where) {
  Counts c;
  for (const auto& [key, member] : kCounts) {
    if (member != &Counts::rejected_attempts || o.contains(key)) c.*member = jf::get_u64(o, key, where);
  }
  if (c.ok + c.failed != c.total) throw InputError(where, "total", "is not ok + failed");
  const object& errors = jf::get_object(o, "errors", where);
  std::uint64_t sum = 0;
  for (const auto& [name, count] : errors) {
    const auto kind = from_name<harness::ErrorKind>(name);
    if (!kind || *kind == harness::ErrorKind::none) {
      throw InputError(where + ".errors", std::string(name), "unknown error kind");
    }
    const std::uint64_t n = jf::to_u64(count, where + ".errors", std::string(name));
    c.errors_by_kind[static_cast<std::size_t>(*kind)] = n;
    sum += n;
  }
  if (sum != c.failed) throw InputError(where, "errors", "do not add up to failed");
  if (o.contains("estimated_usage")) c.estimated_usage = jf::get_u64(o, "estimated_usage", where);
  if (o.contains("counted_usage")) c.counted_usage = jf::get_u64(o, "counted_usage", where);
  if (o.contains("reasoning_tokens")) c.reasoning_tokens = jf::get_u64(o, "reasoning_tokens", where);
  if (o.contains("stopped_early")) c.stopped_early = jf::get_u64(o, "stopped_early", where);
  if (o.contains("window")) {
    const object& w = jf::get_object(o, "window", where);
    c.window.measured = true;
    for (const auto& [key, member] : kWindow) c.window.*member = jf::get_double(w, key, where + ".window");
  }
  return c;
}

metrics::LatencyHistogram histogram_from(const object& histograms, std::string_view name,
                                         const metrics::LatencyHistogram& prototype,
                                         const std::string& where) {
  const std::string here = where + "." + std::string(name);
  metrics::LatencyHistogram h =
      metrics::LatencyHistogram::from_json(jf::required(histograms, name, where), here);
  if (!(h.range() == prototype.range()))
    throw InputError(here, "lowest/highest", "unexpected histogram range");
  return h;
}

// Every kind's details count no more requests than counts.errors has of that kind.
void check_error_details(const metrics::StepMetrics& m, const std::string& where) {
  for (std::size_t k = 1; k < harness::kErrorKindCount; ++k) {
    const metrics::ErrorKindDetail& d = m.error_details.by_kind[k];
    std::uint64_t statuses = 0, messages = 0;
    for (const auto& [status, n] : d.http_statuses) statuses += n;
    for (const metrics::ErrorMessage& message : d.messages) messages += message.count;
    if (statuses > m.counts.errors_by_kind[k] || messages > m.counts.errors_by_kind[k]) {
      throw InputError(where, std::string(to_name(static_cast<harness::ErrorKind>(k))),
                       "counts more requests than counts.errors has of this kind");
    }
  }
}

// Pretty printer: boost::json::serialize writes one line; reports are read by people too.
void pretty(std::string& out, const value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  switch (v.kind()) {
    case json::kind::object: {
      const object& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& [k, child] : o) {
        if (!first) out += ",\n";
        first = false;
        out += inner + json::serialize(value(k)) + ": ";
        pretty(out, child, indent + 1);
      }
      out += "\n" + pad + "}";
      return;
    }
    case json::kind::array: {
      const array& a = v.get_array();
      // Arrays of scalars or of small scalar pairs (histogram bins) stay on one line.
      bool flat = true;
      for (const value& child : a) {
        if (child.is_object() || (child.is_array() && child.get_array().size() > 2)) flat = false;
      }
      if (flat) {
        out += json::serialize(v);
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) out += ",\n";
        out += inner;
        pretty(out, a[i], indent + 1);
      }
      out += "\n" + pad + "]";
      return;
    }
    default:
      out += json::serialize(v);
  }
}

}  // namespace

// ---- Environment ----

// The text fields in report order (cpu_count comes third), for writing and reading alike.
constexpr std::pair<const char*, std::string Environment::*> kEnvironmentText[] = {
    {"host", &Environment::host},         {"cpu_model", &Environment::cpu_model},
    {"os", &Environment::os},             {"kernel", &Environment::kernel},
    {"build_flavor", &Environment::build_flavor}, {"tool_version", &Environment::tool_version},
    {"compiler", &Environment::compiler}, {"warning", &Environment::warning}};

void tag_invoke(json::value_from_tag, value& jv, const Environment& e) {
  object o;
  for (const auto& [key, member] : kEnvironmentText) {
    o[key] = e.*member;
    if (member == &Environment::cpu_model) o["cpu_count"] = e.cpu_count;
  }
  // Only when recorded, so reports without them keep their bytes.
  if (e.load_average_start) o["load_average_start"] = *e.load_average_start;
  if (e.load_average_end) o["load_average_end"] = *e.load_average_end;
  jv = std::move(o);
}

Environment tag_invoke(json::value_to_tag<Environment>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  const object& o = jf::as_object(jv, where);
  Environment e;
  for (const auto& [key, member] : kEnvironmentText) {
    e.*member = jf::get_string(o, key, where);
    if (member == &Environment::cpu_model) e.cpu_count = static_cast<int>(jf::get_i64(o, "cpu_count", where));
  }
  e.load_average_start = jf::get_optional_double(o, "load_average_start", where);
  e.load_average_end = jf::get_optional_double(o, "load_average_end", where);
  return e;
}

// ---- ServerMetrics ----

value server_metrics_json(const ServerMetrics& m) {
  array t;
  for (const double v : m.t_s) t.push_back(v);
  array series;
  for (const ServerSeries& s : m.series) {
    array values;
    for (const auto& v : s.values) values.push_back(jf::optional_number(v));
    series.push_back(object{{"name", s.name}, {"labels", s.labels}, {"type", s.type}, {"values", std::move(values)}});
  }
  return object{{"url", m.url},
                {"interval_s", m.interval_s},
                {"t_s", std::move(t)},
                {"series", std::move(series)},
                {"series_dropped", m.series_dropped},
                {"failed_scrapes", m.failed_scrapes},
                {"last_error", m.last_error}};
}

ServerMetrics server_metrics_from(const value& jv, const std::string& where) {
  const object& o = jf::as_object(jv, where);
  ServerMetrics m;
  m.url = jf::get_string(o, "url", where);
  m.interval_s = jf::get_double(o, "interval_s", where);
  const array& t = jf::get_array(o, "t_s", where);
  for (std::size_t i = 0; i < t.size(); ++i) m.t_s.push_back(jf::to_double(t[i], where, fmt::format("t_s[{}]", i)));
  const array& series = jf::get_array(o, "series", where);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::string swhere = fmt::format("{}.series[{}]", where, i);
    const object& so = jf::as_object(series[i], swhere);
    ServerSeries s;
    s.name = jf::get_string(so, "name", swhere);
    s.labels = jf::get_string(so, "labels", swhere);
    s.type = jf::get_string(so, "type", swhere);
    const array& values = jf::get_array(so, "values", swhere);
    if (values.size() != m.t_s.size()) {
      throw InputError(swhere, "values", fmt::format("has {} values for {} scrapes (t_s)", values.size(), m.t_s.size()));
    }
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (values[k].is_null()) {
        s.values.emplace_back(std::nullopt);
      } else {
        s.values.emplace_back(jf::to_double(values[k], swhere, fmt::format("values[{}]", k)));
      }
    }
    m.series.push_back(std::move(s));
  }
  m.series_dropped = jf::get_u64(o, "series_dropped", where);
  m.failed_scrapes = jf::get_u64(o, "failed_scrapes", where);
  m.last_error = jf::get_string(o, "last_error", where);
  return m;
}

// ---- StepResult ----

void tag_invoke(json::value_from_tag, value& jv, const StepResult& step) {
  const metrics::StepMetrics& m = step.metrics;
  object summary;
  object histograms;
  metrics::Distributions::for_each(m.distributions,
                                   [&](std::string_view name, const metrics::LatencyHistogram& h) {
                                     // Reasoning models only: other reports keep their bytes.
                                     if (name == "ttfo" && h.empty()) return;
                                     const auto [key, scale] = summary_unit(name);
                                     summary[key] = summary_json(h, scale);
                                     histograms[name] = h.to_json();
                                   });
  summary["schedule_lag_ms"] = summary_json(step.schedule_lag, kNsToMs);
  histograms["schedule_lag"] = step.schedule_lag.to_json();
  summary["cap_wait_ms"] = summary_json(step.cap_wait, kNsToMs);
  histograms["cap_wait"] = step.cap_wait.to_json();

  const Efficiency eff = step.efficiency();
  object out{
      {"sweep_parameter", step.sweep_parameter},
      {"sweep_value", step.sweep_value},
      {"repetition", step.repetition},
      {"started_at", step.started_at},
      {"stop_reason", to_name(step.stop_reason)},
      {"interrupted", step.interrupted},
      {"timing", object{{"duration_s", m.timing.duration_s},
                        {"concurrency", m.timing.concurrency},
                        {"target_rate_rps", jf::optional_number(m.timing.target_rate_rps)},
                        {"mean_in_flight", jf::optional_number(m.throughput.mean_in_flight)}}},
      {"slo", object{{"ttft_ms", jf::optional_number(m.slo.ttft_ms)},
                     {"tpot_ms", jf::optional_number(m.slo.tpot_ms)},
                     {"e2e_ms", jf::optional_number(m.slo.e2e_ms)}}},
      {"counts", counts_json(m.counts)},
      {"throughput", object{{"requests_per_s", m.throughput.requests_per_s},
                            {"output_tokens_per_s", m.throughput.output_tokens_per_s},
                            {"total_tokens_per_s", m.throughput.total_tokens_per_s},
                            {"output_tokens_per_s_per_user", m.throughput.output_tokens_per_s_per_user},
                            {"goodput_rps", jf::optional_number(m.throughput.goodput_rps)},
                            {"error_rate", m.throughput.error_rate}}},
      {"reference", object{{"ttft_ms", jf::optional_number(step.reference.ttft_ms)},
                           {"e2e_ms", jf::optional_number(step.reference.e2e_ms)}}},
      {"efficiency", object{{"throughput_ratio", jf::optional_number(eff.throughput_ratio)},
                            {"ttft_overhead_p50_ms", jf::optional_number(eff.ttft_overhead_p50_ms)},
                            {"ttft_overhead_p99_ms", jf::optional_number(eff.ttft_overhead_p99_ms)}}},
      {"summary", std::move(summary)},
      {"histograms", std::move(histograms)},
      {"error_details", m.error_details.to_json()},
  };
  // Optional, like every field added after schema version 1 first shipped.
  if (!m.time_series.empty()) out["time_series"] = m.time_series.to_json();
  if (step.server_metrics) out["server_metrics"] = server_metrics_json(*step.server_metrics);
  if (step.sessions) out["sessions"] = step.sessions->to_json();
  jv = std::move(out);
}

StepResult tag_invoke(json::value_to_tag<StepResult>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  const object& o = jf::as_object(jv, where);
  StepResult s;
  s.sweep_parameter = jf::get_string(o, "sweep_parameter", where);
  s.sweep_value = jf::get_double(o, "sweep_value", where);
  s.repetition = static_cast<int>(jf::get_i64(o, "repetition", where));
  s.started_at = jf::get_string(o, "started_at", where);
  s.stop_reason = get_enum<StopReason>(o, "stop_reason", where);
  s.interrupted = jf::get_bool(o, "interrupted", where);

  const object& timing = jf::get_object(o, "timing", where);
  metrics::StepMetrics& m = s.metrics;
  m.timing.duration_s = jf::get_double(timing, "duration_s", where + ".timing");
  m.timing.concurrency = jf::get_double(timing, "concurrency", where + ".timing");
  m.timing.target_rate_rps = jf::get_optional_double(timing, "target_rate_rps", where + ".timing");
  if (m.timing.duration_s < 0) throw InputError(where + ".timing", "duration_s", "is negative");

  const object& slo = jf::get_object(o, "slo", where);
  m.slo.ttft_ms = jf::get_optional_double(slo, "ttft_ms", where + ".slo");
  m.slo.tpot_ms = jf::get_optional_double(slo, "tpot_ms", where + ".slo");
  m.slo.e2e_ms = jf::get_optional_double(slo, "e2e_ms", where + ".slo");

  m.counts = counts_from(jf::get_object(o, "counts", where), where + ".counts");
  // Optional: reports written before error details existed have none.
  if (const value* details = o.if_contains("error_details"); details != nullptr) {
    m.error_details = metrics::ErrorDetails::from_json(*details, where + ".error_details");
    check_error_details(m, where + ".error_details");
  }

  if (const value* series = o.if_contains("time_series"); series != nullptr)
    m.time_series = metrics::TimeSeries::from_json(*series, where + ".time_series");
  if (const value* server = o.if_contains("server_metrics"); server != nullptr)
    s.server_metrics = server_metrics_from(*server, where + ".server_metrics");
  if (const value* sessions = o.if_contains("sessions"); sessions != nullptr)
    s.sessions = metrics::SessionMetrics::from_json(*sessions, where + ".sessions");

  const object& reference = jf::get_object(o, "reference", where);
  s.reference.ttft_ms = jf::get_optional_double(reference, "ttft_ms", where + ".reference");
  s.reference.e2e_ms = jf::get_optional_double(reference, "e2e_ms", where + ".reference");

  const object& histograms = jf::get_object(o, "histograms", where);
  const std::string hwhere = where + ".histograms";
  // Histograms added after schema version 1 first shipped are optional (empty when absent).
  const auto added_later = [](std::string_view name) {
    return name == "server_queue" || name == "ttft_client" || name == "cap_wait" || name == "ttfo";
  };
  metrics::Distributions::for_each(m.distributions, [&](std::string_view name, metrics::LatencyHistogram& h) {
    if (added_later(name) && !histograms.contains(name)) return;
    h = histogram_from(histograms, name, h, hwhere);
  });
  s.schedule_lag = histogram_from(histograms, "schedule_lag", s.schedule_lag, hwhere);
  if (histograms.contains("cap_wait")) s.cap_wait = histogram_from(histograms, "cap_wait", s.cap_wait, hwhere);
  // Derived figures are recomputed, so a hand-edited summary cannot disagree with the data.
  m.throughput = metrics::compute_throughput(m.counts, m.timing, m.slo);
  return s;
}

// ---- ScenarioResult ----

void tag_invoke(json::value_from_tag, value& jv, const SearchResult& s) {
  jv = object{{"parameter", s.parameter},
              {"attainment", s.attainment},
              {"answer", jf::optional_number(s.answer)},
              {"upper", jf::optional_number(s.upper)},
              {"converged", s.converged},
              {"probes", s.probes}};
}

SearchResult tag_invoke(json::value_to_tag<SearchResult>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  const object& o = jf::as_object(jv, where);
  SearchResult s;
  s.parameter = jf::get_string(o, "parameter", where);
  s.attainment = jf::get_double(o, "attainment", where);
  s.answer = jf::get_optional_double(o, "answer", where);
  s.upper = jf::get_optional_double(o, "upper", where);
  s.converged = jf::get_bool(o, "converged", where);
  s.probes = static_cast<std::uint32_t>(jf::get_u64(o, "probes", where));
  return s;
}

void tag_invoke(json::value_from_tag, value& jv, const ScenarioResult& s) {
  object o{{"name", s.name},
           {"mode", to_name(s.mode)},
           {"operation", to_name(s.operation)},
           {"load_model", to_name(s.load_model)},
           {"steps", json::value_from(s.steps)}};
  if (s.search) o["search"] = json::value_from(*s.search);  // additive: only for a search scenario
  jv = std::move(o);
}

ScenarioResult tag_invoke(json::value_to_tag<ScenarioResult>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  const object& o = jf::as_object(jv, where);
  ScenarioResult s;
  s.name = jf::get_string(o, "name", where);
  s.mode = get_enum<harness::ExecutionModel>(o, "mode", where);
  s.operation = get_enum<harness::Operation>(o, "operation", where);
  s.load_model = get_enum<LoadPattern>(o, "load_model", where);
  const array& steps = jf::get_array(o, "steps", where);
  for (std::size_t i = 0; i < steps.size(); ++i)
    s.steps.push_back(jf::read_at<StepResult>(steps[i], fmt::format(".steps[{}]", i)));
  if (const value* search = o.if_contains("search")) s.search = jf::read_at<SearchResult>(*search, ".search");
  return s;
}

// ---- DistributedRun (docs/distributed.md) ----

void tag_invoke(json::value_from_tag, value& jv, const ShardRecord& s) {
  jv = object{{"index", s.index},
              {"host", s.host},
              {"planned_start", s.planned_start},
              {"actual_start", s.actual_start},
              {"requests", s.requests},
              {"requests_per_s", jf::number_or_null(s.requests_per_s)}};
}

ShardRecord tag_invoke(json::value_to_tag<ShardRecord>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  const object& o = jf::as_object(jv, where);
  ShardRecord s;
  s.index = static_cast<std::uint32_t>(jf::get_u64(o, "index", where));
  s.host = jf::get_string(o, "host", where);
  s.planned_start = jf::get_string(o, "planned_start", where);
  s.actual_start = jf::get_string(o, "actual_start", where);
  s.requests = jf::get_u64(o, "requests", where);
  s.requests_per_s = jf::get_optional_double(o, "requests_per_s", where).value_or(0);
  return s;
}

void tag_invoke(json::value_from_tag, value& jv, const DistributedRun& d) {
  object o{{"run_id", d.run_id},
           {"shard_count", d.shard_count},
           {"partial", d.partial},
           {"shards", json::value_from(d.shards)}};
  if (d.start_skew_ms) o["start_skew_ms"] = *d.start_skew_ms;
  jv = std::move(o);
}

DistributedRun tag_invoke(json::value_to_tag<DistributedRun>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  const object& o = jf::as_object(jv, where);
  DistributedRun d;
  d.run_id = jf::get_string(o, "run_id", where);
  d.shard_count = static_cast<std::uint32_t>(jf::get_u64(o, "shard_count", where));
  if (d.shard_count == 0) throw InputError(where, "shard_count", "must be at least 1");
  d.partial = jf::get_bool(o, "partial", where);
  const array& shards = jf::get_array(o, "shards", where);
  for (std::size_t i = 0; i < shards.size(); ++i) {
    d.shards.push_back(jf::read_at<ShardRecord>(shards[i], fmt::format(".shards[{}]", i)));
    if (d.shards.back().index >= d.shard_count) {
      throw InputError(where, fmt::format("shards[{}].index", i),
                       fmt::format("{} is not below shard_count {}", d.shards.back().index, d.shard_count));
    }
  }
  d.start_skew_ms = jf::get_optional_double(o, "start_skew_ms", where);
  return d;
}

// ---- RunReport ----

void tag_invoke(json::value_from_tag, value& jv, const RunReport& report) {
  // config_hash and interrupted_inputs are additive (schema 1 readers ignore them); the hash is
  // derived from `config` and recomputed on reading.
  jv = object{{"schema_version", report.schema_version},
              {"tool_version", report.tool_version},
              {"started_at", report.started_at},
              {"interrupted", report.interrupted},
              {"merged_from", json::value_from(report.merged_from)},
              {"interrupted_inputs", json::value_from(report.interrupted_inputs)},
              {"environment", json::value_from(report.environment)},
              {"config_hash", config_hash(report.config)},
              {"config", report.config},
              {"scenarios", json::value_from(report.scenarios)}};
  // Sharded runs and their merge only (additive): other reports keep their bytes.
  if (report.distributed) jv.as_object()["distributed"] = json::value_from(*report.distributed);
}

RunReport tag_invoke(json::value_to_tag<RunReport>, const value& jv) {
  const std::string& where = jf::ReadPath::current();
  if (!jv.is_object()) throw InputError(where, "", "not a report: the top level is not a JSON object");
  const object& o = jv.get_object();
  const value* version = o.if_contains("schema_version");
  if (version == nullptr) throw InputError(where, "schema_version", "missing: not an llmbench report");
  if (!version->is_int64() || version->get_int64() != kSchemaVersion) {
    throw InputError(where, "schema_version",
                     fmt::format("is {}, but this llmbench reads schema version {}",
                                 json::serialize(*version), kSchemaVersion));
  }
  RunReport report;
  report.schema_version = kSchemaVersion;
  report.tool_version = jf::get_string(o, "tool_version", where);
  report.started_at = jf::get_string(o, "started_at", where);
  report.interrupted = jf::get_bool(o, "interrupted", where);
  const auto strings = [&](const array& list, std::string_view key, std::vector<std::string>& out) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) throw InputError(where, fmt::format("{}[{}]", key, i), "expected a string");
      out.emplace_back(list[i].get_string());
    }
  };
  strings(jf::get_array(o, "merged_from", where), "merged_from", report.merged_from);
  // Optional: reports written before `llmbench merge` recorded interrupted inputs lack it.
  if (const value* inputs = o.if_contains("interrupted_inputs")) {
    if (!inputs->is_array()) throw InputError(where, "interrupted_inputs", "expected an array of strings");
    strings(inputs->get_array(), "interrupted_inputs", report.interrupted_inputs);
  }
  report.environment = jf::read_at<Environment>(jf::required(o, "environment", where), ": environment");
  report.config = jf::get_object(o, "config", where);
  const array& scenarios = jf::get_array(o, "scenarios", where);
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    report.scenarios.push_back(jf::read_at<ScenarioResult>(scenarios[i], fmt::format(": scenarios[{}]", i)));
  if (const value* distributed = o.if_contains("distributed")) {
    report.distributed = jf::read_at<DistributedRun>(*distributed, ": distributed");
  }
  return report;
}

value to_json(const RunReport& report) { return json::value_from(report); }

std::string to_json_text(const RunReport& report) {
  std::string out;
  pretty(out, to_json(report), 0);
  out += "\n";
  return out;
}

RunReport report_from_json(std::string_view text, const std::string& source_name) {
  json::error_code ec;
  const value root = metrics::parse_json_exact(text, ec);
  if (ec) {
    throw InputError(source_name, "",
                     fmt::format("not a valid report: {} ({} bytes read; truncated or corrupt file?)",
                                 ec.message(), text.size()));
  }
  return jf::read_at<RunReport>(root, source_name);
}

RunReport load_report_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open report file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, "", "cannot read report file");
  return report_from_json(buffer.str(), path);
}

}  // namespace llmbench::result
