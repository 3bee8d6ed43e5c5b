#include "harness/load/suite_spec.h"

#include <boost/json.hpp>
#include <cmath>
#include <stdexcept>

#include "common/duration.h"
#include "harness/client/api_flavor.h"
#include "mock_provider/distribution.h"

namespace llmbench::load {

namespace json = boost::json;

namespace {

std::string duration_text(std::chrono::nanoseconds d) { return format_duration(d); }

json::object plan_json(const LoadPlan& plan) {
  json::object o;
  o["load"] = std::string(load_model_name(plan.model));
  o["concurrency"] = plan.concurrency;
  if (plan.model == LoadModel::open_loop) {
    o["rate"] = plan.rate;
    o["arrival"] = std::string(arrival_kind_name(plan.arrival));
    o["seed"] = plan.seed;
  }
  o["think_time"] = duration_text(plan.think_time);
  o["ramp_up"] = duration_text(plan.ramp_up);
  o["requests"] = plan.requests;
  o["duration"] = duration_text(plan.duration);
  o["warmup_requests"] = plan.warmup_requests;
  o["warmup_duration"] = duration_text(plan.warmup_duration);
  o["max_errors"] = plan.max_errors;
  return o;
}

json::object target_json(const TargetSpec& target) {
  json::object o;
  o["kind"] = target.embedded_mock ? "mock" : "url";
  if (!target.embedded_mock) o["url"] = target.endpoint.base_url;
  o["model"] = target.endpoint.model;
  o["api"] = std::string(harness::api_flavor_name(target.endpoint.flavor));
  // Only the variable's name: the key itself never enters a report.
  if (!target.endpoint.api_key_env.empty()) o["api_key_env"] = target.endpoint.api_key_env;
  if (!target.embedded_mock) o["verify_tls"] = target.endpoint.verify_tls;
  if (!target.endpoint.ca_file.empty()) o["ca_file"] = target.endpoint.ca_file;
  if (target.embedded_mock) {
    const mock::MockConfig& m = target.mock;
    json::object mo;
    mo["engine"] = std::string(mock::engine_kind_name(target.mock_engine));
    mo["seed"] = m.seed;
    mo["ttft"] = mock::format_duration_distribution(m.ttft);
    mo["itl"] = mock::format_duration_distribution(m.itl);
    mo["output_tokens"] = mock::format_count_distribution(m.output_tokens);
    mo["prefill_per_prompt_token"] = duration_text(m.prefill_per_prompt_token);
    mo["decode_slots"] = m.decode_slots;
    mo["max_waiting"] = m.max_waiting;
    mo["load_slowdown"] = m.load_slowdown;
    mo["rate_limit_rpm"] = m.rate_limit_rpm;
    mo["rate_limit_tpm"] = m.rate_limit_tpm;
    json::object faults;
    for (const auto& [kind, rate] : m.faults) faults[std::string(mock::fault_kind_name(kind))] = rate;
    mo["faults"] = std::move(faults);
    mo["api_key_required"] = m.api_key.has_value();
    o["mock"] = std::move(mo);
  }
  return o;
}

json::object scenario_json(const ScenarioSpec& s) {
  json::object o;
  o["name"] = s.name;
  o["mode"] = std::string(harness::execution_model_name(s.mode));
  o["operation"] = std::string(operation_name(s.operation));
  o["plan"] = plan_json(s.plan);
  if (!s.sweep_parameter.empty()) {
    o["sweep_parameter"] = s.sweep_parameter;
    json::array values;
    for (double v : s.sweep_values) values.push_back(v);
    o["sweep_values"] = std::move(values);
  }
  o["repetitions"] = s.repetitions;
  if (s.operation == Operation::batch) o["batch_size"] = s.batch_size;
  o["max_tokens"] = s.max_tokens;
  if (s.mode == harness::ExecutionModel::coroutine) o["threads"] = s.threads;
  o["connect_timeout"] = duration_text(s.timeouts.connect);
  o["first_token_timeout"] = duration_text(s.timeouts.first_token);
  o["total_timeout"] = duration_text(s.timeouts.total);
  o["retries"] = s.retry.max_retries;
  json::object slo;
  if (s.slo.ttft_ms) slo["ttft_ms"] = *s.slo.ttft_ms;
  if (s.slo.tpot_ms) slo["tpot_ms"] = *s.slo.tpot_ms;
  if (s.slo.e2e_ms) slo["e2e_ms"] = *s.slo.e2e_ms;
  o["slo"] = std::move(slo);
  json::object headers;
  for (const auto& [name, value] : s.headers) headers[name] = value;
  o["headers"] = std::move(headers);
  json::array thresholds;
  for (const auto& t : s.thresholds) thresholds.push_back(json::string(t));
  o["thresholds"] = std::move(thresholds);
  return o;
}

}  // namespace

json::object suite_config_json(const SuiteSpec& suite) {
  json::object o;
  o["name"] = suite.name;
  o["source"] = suite.source;
  o["target"] = target_json(suite.target);
  json::object prompts;
  if (suite.prompts.kind == PromptSpec::Kind::jsonl) {
    prompts["kind"] = "jsonl";
    prompts["file"] = suite.prompts.file.string();
  } else {
    const auto& d = suite.prompts.synthetic.prompt_tokens;
    prompts["kind"] = "synthetic";
    prompts["distribution"] = std::string(length_kind_name(d.kind));
    prompts["mean"] = d.mean;
    prompts["stddev"] = d.stddev;
    prompts["min"] = d.min;
    prompts["max"] = d.max;
    prompts["seed"] = suite.prompts.synthetic.seed;
  }
  o["prompts"] = std::move(prompts);
  json::array scenarios;
  for (const auto& s : suite.scenarios) scenarios.push_back(scenario_json(s));
  o["scenarios"] = std::move(scenarios);
  return o;
}

std::vector<PlannedStep> expand_steps(const ScenarioSpec& scenario) {
  std::vector<PlannedStep> steps;
  const std::vector<double> values =
      scenario.sweep_parameter.empty() ? std::vector<double>{0.0} : scenario.sweep_values;
  for (const double value : values) {
    LoadPlan plan = scenario.plan;
    if (scenario.sweep_parameter == "concurrency") {
      if (!(value >= 0) || value != std::floor(value) || value > 1e6) {
        throw std::invalid_argument("concurrency: sweep values must be whole numbers");
      }
      plan.concurrency = static_cast<std::uint32_t>(value);
    } else if (scenario.sweep_parameter == "rate") {
      plan.rate = value;
    } else if (!scenario.sweep_parameter.empty()) {
      throw std::invalid_argument("sweep: unknown parameter '" + scenario.sweep_parameter + "'");
    }
    std::uint32_t batch_size = 1;
    if (scenario.operation == Operation::batch) {
      batch_size = scenario.batch_size > 0 ? scenario.batch_size : auto_batch_size(plan);
      // Users count requests; the schedule counts batch() calls. Rounded up to whole batches.
      const auto to_batches = [&](std::uint64_t n) { return (n + batch_size - 1) / batch_size; };
      plan.requests = to_batches(plan.requests);
      plan.warmup_requests = to_batches(plan.warmup_requests);
    }
    validate_load_plan(plan);
    for (std::uint32_t r = 0; r < std::max<std::uint32_t>(1, scenario.repetitions); ++r) {
      PlannedStep step{plan, scenario.sweep_parameter.empty() ? 0.0 : value, static_cast<int>(r)};
      step.batch_size = batch_size;
      steps.push_back(step);
    }
  }
  return steps;
}

std::uint32_t auto_batch_size(const LoadPlan& plan) {
  const std::uint64_t users = std::max<std::uint32_t>(1, plan.concurrency);
  std::uint64_t size = 4 * users;
  if (plan.requests > 0 && plan.duration.count() <= 0 && plan.warmup_requests == 0 &&
      plan.warmup_duration.count() <= 0) {
    size = std::max<std::uint64_t>(users, plan.requests);
  }
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(size, 1'000'000));
}

}  // namespace llmbench::load
