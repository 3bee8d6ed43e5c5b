#include "harness/metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace llmbench::metrics::prometheus {
namespace {

TEST(PrometheusText, ReadsVllmStyleExposition) {
  const Exposition e = parse(
      "# HELP vllm:num_requests_running Number of requests in decode slots.\n"
      "# TYPE vllm:num_requests_running gauge\n"
      "vllm:num_requests_running{model_name=\"m\"} 3\n"
      "# TYPE vllm:prompt_tokens_total counter\n"
      "vllm:prompt_tokens_total{model_name=\"m\",} 1.5e3 1700000000000\n"
      "\n"
      "# a plain comment\n"
      "# TYPE vllm:e2e_request_latency_seconds histogram\n"
      "vllm:e2e_request_latency_seconds_bucket{model_name=\"m\",le=\"+Inf\"} 7\n"
      "vllm:e2e_request_latency_seconds_sum{model_name=\"m\"} 0.25\n"
      "plain\t-2");
  ASSERT_EQ(e.samples.size(), 5u);
  EXPECT_EQ(e.samples[0].name, "vllm:num_requests_running");
  EXPECT_EQ(e.samples[0].value, 3);
  EXPECT_EQ(e.help.at("vllm:num_requests_running"), "Number of requests in decode slots.");
  EXPECT_EQ(e.samples[1].value, 1500);
  EXPECT_EQ(e.samples[1].timestamp_ms, 1700000000000);
  EXPECT_EQ(e.samples[1].labels.size(), 1u);  // the trailing comma is allowed
  EXPECT_EQ(e.samples[2].labels[1].second, "+Inf");
  EXPECT_EQ(e.type_of_sample("vllm:e2e_request_latency_seconds_bucket"), MetricType::histogram);
  EXPECT_EQ(e.type_of_sample("vllm:num_requests_running"), MetricType::gauge);
  EXPECT_EQ(e.type_of_sample("plain"), MetricType::untyped);
  EXPECT_EQ(e.samples[4].value, -2);
  EXPECT_FALSE(e.samples[4].timestamp_ms.has_value());
}

TEST(PrometheusText, SpecialValuesAndEscapes) {
  const Exposition e = parse(
      "a NaN\nb +Inf\nc -Inf\nd{path=\"C:\\\\x\",q=\"say \\\"hi\\\"\",n=\"1\\n2\"} 0\n"
      "# HELP d back\\\\slash\\nnext\n");
  EXPECT_TRUE(std::isnan(e.samples[0].value));
  EXPECT_EQ(e.samples[1].value, INFINITY);
  EXPECT_EQ(e.samples[2].value, -INFINITY);
  EXPECT_EQ(e.samples[3].labels[0].second, "C:\\x");
  EXPECT_EQ(e.samples[3].labels[1].second, "say \"hi\"");
  EXPECT_EQ(e.samples[3].labels[2].second, "1\n2");
  EXPECT_EQ(e.help.at("d"), "back\\slash\nnext");
  // labels_text writes the escapes back
  EXPECT_EQ(labels_text(e.samples[3].labels), "{path=\"C:\\\\x\",q=\"say \\\"hi\\\"\",n=\"1\\n2\"}");
}

void expect_error(std::string_view text, std::size_t line, std::string_view words) {
  try {
    parse(text);
    ADD_FAILURE() << "no error for: " << text;
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("line " + std::to_string(line) + ": ", 0), 0u) << e.what();
  }
}

TEST(PrometheusText, ErrorsNameTheLine) {
  expect_error("ok 1\nbad{a=\"x\\q\"} 1\n", 2, "unknown escape \\q");
  expect_error("x{a=\"1\",a=\"2\"} 1\n", 1, "label a given twice");
  expect_error("x{a=\"1\" 1\n", 1, "expected ',' or '}'");
  expect_error("x{a=\"1} 1\n", 1, "missing closing quote");
  expect_error("x 12abc\n", 1, "'12abc' is not a number");
  expect_error("x nan(1)\n", 1, "is not a number");
  expect_error("x 1 2.5\n", 1, "timestamp '2.5'");
  expect_error("x 1 2 3\n", 1, "after the timestamp");
  expect_error("x\n", 1, "expected a space before the value");
  expect_error("1x 2\n", 1, "expected a metric name");
  expect_error("x{0a=\"1\"} 2\n", 1, "expected a label name");
  expect_error("x{a:b=\"1\"} 2\n", 1, "expected '='");
  expect_error("# TYPE x gauge\n# TYPE x counter\n", 2, "second TYPE for x");
  expect_error("x 1\n# TYPE x gauge\n", 2, "TYPE x comes after samples of x");
  expect_error("# TYPE x meter\n", 1, "'meter' is not one of");
  expect_error("# HELP x a\n# HELP x b\n", 2, "second HELP for x");
  expect_error("\n\nx 1\r\n", 3, "carriage return");
  expect_error("x 1e999\n", 1, "out of range");
}

}  // namespace
}  // namespace llmbench::metrics::prometheus
