// Why requests failed, per error kind: bounded status counts and first distinct messages,
// recorded from failed requests only, merged like counts, and read back from report.json.
#include "harness/metrics/error_details.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "common/input_error.h"
#include "harness/metrics/metrics_recorder.h"

namespace llmbench::metrics {
namespace {

using harness::ErrorKind;

harness::RequestRecord failure(ErrorKind kind, int status, std::string message) {
  harness::RequestRecord r;
  r.start_ns = r.intended_start_ns = 1'000'000;
  r.end_ns = 2'000'000;
  r.error = kind;
  r.http_status = status;
  r.error_message = std::move(message);
  return r;
}

TEST(ErrorDetailsTest, KeepsStatusesAndDistinctMessagesPerKind) {
  ErrorDetails d;
  for (int i = 0; i < 4; ++i) d.add(ErrorKind::http_4xx, 401, "HTTP 401: Incorrect API key provided.");
  d.add(ErrorKind::http_4xx, 404, "HTTP 404: The model 'nope' does not exist [model_not_found]");
  d.add(ErrorKind::connect, 0, "Failed to connect to 127.0.0.1 port 1");

  const ErrorKindDetail& http = d.of(ErrorKind::http_4xx);
  EXPECT_EQ(http.http_statuses, (std::map<int, std::uint64_t>{{401, 4}, {404, 1}}));
  ASSERT_EQ(http.messages.size(), 2u);
  EXPECT_EQ(http.messages[0], (ErrorMessage{401, "Incorrect API key provided.", 4}));
  EXPECT_EQ(http.messages[1], (ErrorMessage{404, "The model 'nope' does not exist [model_not_found]", 1}));
  const ErrorKindDetail& connect = d.of(ErrorKind::connect);
  EXPECT_TRUE(connect.http_statuses.empty());
  ASSERT_EQ(connect.messages.size(), 1u);
  EXPECT_EQ(connect.messages[0].text, "Failed to connect to 127.0.0.1 port 1");
  EXPECT_TRUE(d.of(ErrorKind::timeout).empty());
}

TEST(ErrorDetailsTest, MessagesAreBoundedInNumberAndLength) {
  ErrorDetails d;
  for (int i = 0; i < 20; ++i)
    d.add(ErrorKind::http_5xx, 500, "HTTP 500: failure number " + std::to_string(i));
  d.add(ErrorKind::http_5xx, 503, "HTTP 503: " + std::string(1000, 'y'));
  d.add(ErrorKind::http_4xx, 400, "");  // no message: the status is still counted
  const ErrorKindDetail& five = d.of(ErrorKind::http_5xx);
  ASSERT_EQ(five.messages.size(), ErrorKindDetail::kMaxMessages);
  EXPECT_EQ(five.messages.back().text, "failure number 4");
  // Statuses count every request, messages beyond the bound included.
  EXPECT_EQ(five.http_statuses, (std::map<int, std::uint64_t>{{500, 20}, {503, 1}}));

  ErrorDetails one;
  one.add(ErrorKind::http_5xx, 503, "HTTP 503: " + std::string(1000, 'y'));
  EXPECT_LE(one.of(ErrorKind::http_5xx).messages.at(0).text.size(), ErrorKindDetail::kMaxMessageChars);
  EXPECT_TRUE(d.of(ErrorKind::http_4xx).messages.empty());
  EXPECT_EQ(d.of(ErrorKind::http_4xx).http_statuses.at(400), 1u);
}

TEST(ErrorDetailsTest, MergeAddsCountsAndUnionsMessagesWithinTheBound) {
  ErrorDetails a, b;
  a.add(ErrorKind::http_4xx, 401, "HTTP 401: bad key");
  for (int i = 0; i < 3; ++i) a.add(ErrorKind::http_4xx, 404, "HTTP 404: m" + std::to_string(i));
  b.add(ErrorKind::http_4xx, 401, "HTTP 401: bad key");
  b.add(ErrorKind::http_4xx, 401, "HTTP 401: bad key");
  for (int i = 3; i < 6; ++i) b.add(ErrorKind::http_4xx, 404, "HTTP 404: m" + std::to_string(i));
  a.merge(b);
  const ErrorKindDetail& d = a.of(ErrorKind::http_4xx);
  EXPECT_EQ(d.http_statuses, (std::map<int, std::uint64_t>{{401, 3}, {404, 6}}));
  ASSERT_EQ(d.messages.size(), ErrorKindDetail::kMaxMessages);
  EXPECT_EQ(d.messages[0], (ErrorMessage{401, "bad key", 3}));
  EXPECT_EQ(d.messages[4].text, "m3");
}

TEST(ErrorDetailsTest, JsonRoundTripAndRejectsBadStatuses) {
  ErrorDetails d;
  d.add(ErrorKind::http_4xx, 401, "HTTP 401: Incorrect API key provided.");
  d.add(ErrorKind::timeout, 0, "total timeout (2s)");
  const boost::json::value json = d.to_json();
  EXPECT_FALSE(json.as_object().contains("connect"));  // kinds without failures are left out
  EXPECT_EQ(json.at("http_4xx").at("http_statuses").at("401").to_number<int>(), 1);
  EXPECT_EQ(ErrorDetails::from_json(json, "r.json"), d);

  boost::json::value bad = json;
  bad.at("http_4xx").at("http_statuses").as_object()["4x1"] = 1;
  EXPECT_THROW(ErrorDetails::from_json(bad, "r.json"), InputError);
  boost::json::value unknown = boost::json::parse(R"({"http_6xx": {"http_statuses": {}, "messages": []}})");
  EXPECT_THROW(ErrorDetails::from_json(unknown, "r.json"), InputError);
}

TEST(ErrorDetailsTest, RecorderFillsDetailsFromFailuresOnlyAndMergesThem) {
  MetricsRecorder a, b;
  a.record(failure(ErrorKind::http_4xx, 401, "HTTP 401: Incorrect API key provided."));
  harness::RequestRecord ok;
  ok.start_ns = ok.intended_start_ns = 1;
  ok.end_ns = 2;
  ok.http_status = 200;
  ok.error_message = "not an error";
  a.record(ok);
  b.record(failure(ErrorKind::http_4xx, 401, "HTTP 401: Incorrect API key provided."));
  a.merge(b);
  const StepMetrics m = a.summarize({.duration_s = 1, .concurrency = 1, .target_rate_rps = {}});
  EXPECT_EQ(m.error_details.of(ErrorKind::http_4xx).http_statuses.at(401), 2u);
  EXPECT_EQ(m.error_details.of(ErrorKind::http_4xx).messages.at(0).count, 2u);
  EXPECT_EQ(m.error_details.of(ErrorKind::none).messages.size(), 0u);

  StepMetrics other = m;
  other.merge(m);  // another process's measurement of the same step
  EXPECT_EQ(other.error_details.of(ErrorKind::http_4xx).http_statuses.at(401), 4u);
}

TEST(ErrorDetailsTest, StripStatusPrefixOnlyRemovesTheMatchingStatus) {
  EXPECT_EQ(strip_status_prefix("HTTP 401: bad key", 401), "bad key");
  EXPECT_EQ(strip_status_prefix("HTTP 401", 401), "");
  EXPECT_EQ(strip_status_prefix("HTTP 401: bad key", 404), "HTTP 401: bad key");
  EXPECT_EQ(strip_status_prefix("connection refused", 0), "connection refused");
}

}  // namespace
}  // namespace llmbench::metrics
