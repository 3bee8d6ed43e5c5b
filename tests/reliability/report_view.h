#pragma once

// The figures of a one-step report.json that the reliability tests assert on, read strictly
// (a missing field fails the test rather than reading as zero).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>

namespace llmbench::reliability {

struct StepView {
  std::int64_t total = 0;
  std::int64_t ok = 0;
  std::int64_t failed = 0;
  std::int64_t retries = 0;
  std::int64_t output_tokens = 0;              // of successful requests
  std::map<std::string, std::int64_t> errors;  // every kind in the report, zeros included
  std::int64_t ttft_count = 0;
  double ttft_p50_ms = 0;
  double output_tokens_min = 0;  // per successful request
  double output_tokens_max = 0;
  std::string stop_reason;

  std::int64_t error_sum() const {
    std::int64_t sum = 0;
    for (const auto& [kind, n] : errors) sum += n;
    return sum;
  }
  // "kind=count" for every non-zero kind, for failure messages.
  std::string nonzero_errors() const {
    std::string s;
    for (const auto& [kind, n] : errors) {
      if (n != 0) s += kind + "=" + std::to_string(n) + " ";
    }
    return s.empty() ? "none" : s;
  }
};

// The single step of the single scenario of `report`.
inline StepView only_step(const boost::json::value& report) {
  StepView v;
  const auto& scenarios = report.at("scenarios").as_array();
  EXPECT_EQ(scenarios.size(), 1u);
  const auto& steps = scenarios.at(0).at("steps").as_array();
  EXPECT_EQ(steps.size(), 1u);
  const auto& step = steps.at(0);
  const auto& counts = step.at("counts");
  v.total = counts.at("total").to_number<std::int64_t>();
  v.ok = counts.at("ok").to_number<std::int64_t>();
  v.failed = counts.at("failed").to_number<std::int64_t>();
  v.retries = counts.at("retries").to_number<std::int64_t>();
  v.output_tokens = counts.at("output_tokens").to_number<std::int64_t>();
  for (const auto& [kind, n] : counts.at("errors").as_object())
    v.errors[std::string(kind)] = n.to_number<std::int64_t>();
  const auto& ttft = step.at("summary").at("ttft_ms");
  v.ttft_count = ttft.at("count").to_number<std::int64_t>();
  v.ttft_p50_ms = ttft.at("p50").to_number<double>();
  const auto& tokens = step.at("summary").at("output_tokens");
  v.output_tokens_min = tokens.at("min").to_number<double>();
  v.output_tokens_max = tokens.at("max").to_number<double>();
  v.stop_reason = std::string(step.at("stop_reason").as_string());
  return v;
}

}  // namespace llmbench::reliability
