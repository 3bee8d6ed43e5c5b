// Reasoning models end to end against the embedded mock (docs/metrics.md "Reasoning models"):
// 30 reasoning tokens at 10 ms stream before the answer, so the first token comes at the mock's
// TTFT while the first answer token comes about 300 ms later. Ordering and counts are exact;
// the wall-clock bounds are generous and widen under sanitizers.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "harness/client/sync_client.h"
#include "harness/metrics/metrics_recorder.h"
#include "mock_provider/mock_server.h"
#include "tests/support/sanitizers.h"

namespace llmbench::harness {
namespace {

using namespace std::chrono_literals;
using test_support::upper_bound_ms;

constexpr std::uint32_t kReasoning = 30;
constexpr std::uint32_t kAnswer = 5;

std::unique_ptr<mock::MockServer> start_mock(mock::MockConfig::ReasoningField field) {
  auto config = mock::MockConfig::fixed_latency(20ms, 10ms, kAnswer);
  config.port = 0;
  config.reasoning_tokens = Distribution::fixed(kReasoning);
  config.reasoning_field = field;
  auto server = std::make_unique<mock::MockServer>(config);
  server->start();
  return server;
}

Endpoint endpoint(const mock::MockServer& server, ApiFlavor flavor) {
  Endpoint e;
  e.base_url = server.base_url();
  e.flavor = flavor;
  e.timeouts.total = 20s;
  return e;
}

ChatRequest request() {
  ChatRequest r;
  r.messages = {{"user", "think first"}};
  return r;
}

double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

void expect_reasoning_stream(const RequestRecord& r) {
  ASSERT_TRUE(r.ok()) << r.error_message;
  // TTFT is the first token of any kind: the first reasoning delta, at the mock's 20 ms.
  EXPECT_GE(ms(r.first_token_ns - r.start_ns), 19.0);
  EXPECT_LT(ms(r.first_token_ns - r.start_ns), upper_bound_ms(20, 100));
  // TTFO waits for the answer: after the 30 reasoning tokens (29 gaps + the answer's own).
  EXPECT_GE(ms(r.first_output_ns - r.start_ns), 20.0 + kReasoning * 10.0 - 1.0);
  EXPECT_LT(ms(r.first_output_ns - r.start_ns), upper_bound_ms(20 + kReasoning * 10, 200));
  // Every generated token arrives as its own chunk; ITL and TPOT run over all of them.
  ASSERT_EQ(r.token_ns.size(), kReasoning + kAnswer);
  EXPECT_EQ(r.token_ns.front(), r.first_token_ns);
  EXPECT_EQ(r.token_ns[kReasoning], r.first_output_ns);
  EXPECT_EQ(r.output_tokens, kReasoning + kAnswer);
  EXPECT_EQ(r.reasoning_tokens, kReasoning);
}

TEST(Reasoning, OpenAiStreamSeparatesTtftFromTimeToFirstOutput) {
  for (const auto field : {mock::MockConfig::ReasoningField::reasoning_content, mock::MockConfig::ReasoningField::reasoning}) {
    const auto server = start_mock(field);
    SyncClient client(endpoint(*server, ApiFlavor::openai_chat));
    const auto result = client.stream(request(), nullptr);
    expect_reasoning_stream(result.record);
    EXPECT_TRUE(result.record.usage_reported);
    // The answer's text only: five words, no reasoning in it.
    EXPECT_EQ(std::count(result.text.begin(), result.text.end(), ' '), static_cast<long>(kAnswer - 1)) << result.text;

    metrics::MetricsRecorder recorder{metrics::Slo{}};
    recorder.record(result.record);
    const auto m = recorder.summarize(metrics::StepTiming{1.0, 1.0, std::nullopt});
    EXPECT_EQ(m.counts.reasoning_tokens, kReasoning);
    EXPECT_EQ(m.counts.output_tokens, kReasoning + kAnswer);
    ASSERT_EQ(m.distributions.ttfo.count(), 1u);
    EXPECT_GT(m.distributions.ttfo.percentile(50), m.distributions.ttft.percentile(50) + 250e6);
    EXPECT_EQ(m.distributions.itl.count(), kReasoning + kAnswer - 1);
  }
}

TEST(Reasoning, OllamaThinkingStream) {
  const auto server = start_mock(mock::MockConfig::ReasoningField::reasoning_content);
  SyncClient client(endpoint(*server, ApiFlavor::ollama_chat));
  const auto result = client.stream(request(), nullptr);
  expect_reasoning_stream(result.record);
  // eval_count counts every generated token; Ollama reports no reasoning count: the chunks are.
  EXPECT_TRUE(result.record.usage_reported);
}

TEST(Reasoning, WholeRepliesCarryTheReasoningInTheirField) {
  for (const auto flavor : {ApiFlavor::openai_chat, ApiFlavor::ollama_chat}) {
    const auto server = start_mock(mock::MockConfig::ReasoningField::reasoning);
    SyncClient client(endpoint(*server, flavor));
    const auto result = client.invoke(request());
    ASSERT_TRUE(result.ok()) << result.record.error_message;
    EXPECT_EQ(std::count(result.text.begin(), result.text.end(), ' '), static_cast<long>(kAnswer - 1)) << result.text;
    EXPECT_EQ(result.record.output_tokens, kReasoning + kAnswer);
    // OpenAI: usage's completion_tokens_details; Ollama: its thinking text estimated.
    EXPECT_GT(result.record.reasoning_tokens, 0u);
    if (flavor == ApiFlavor::openai_chat) {
      EXPECT_EQ(result.record.reasoning_tokens, kReasoning);
    }
  }
}

TEST(Reasoning, WithoutReasoningTimeToFirstOutputIsTtftAndNothingIsRecorded) {
  auto config = mock::MockConfig::fixed_latency(20ms, 10ms, kAnswer);
  config.port = 0;
  mock::MockServer server(config);
  server.start();
  SyncClient client(endpoint(server, ApiFlavor::openai_chat));
  const auto result = client.stream(request(), nullptr);
  ASSERT_TRUE(result.ok()) << result.record.error_message;
  EXPECT_EQ(result.record.first_output_ns, result.record.first_token_ns);
  EXPECT_EQ(result.record.reasoning_tokens, 0u);
  metrics::MetricsRecorder recorder{metrics::Slo{}};
  recorder.record(result.record);
  EXPECT_TRUE(recorder.summarize(metrics::StepTiming{}).distributions.ttfo.empty());
}

}  // namespace
}  // namespace llmbench::harness
