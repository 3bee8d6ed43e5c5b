// --save-requests: the JSON lines, bounded queue, atomic completion, and the report's
// percentiles recomputed from the file.
#include "harness/load/request_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/atomic_file.h"
#include "common/input_error.h"
#include "common/interrupt.h"
#include "harness/load/runner.h"
#include "harness/result/report_json.h"
#include "mock_provider/mock_server.h"

namespace llmbench::load {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;

class RequestExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reset_interrupt_for_testing();
    dir_ = fs::temp_directory_path() /
           ("llmbench_export_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<json::object> read_lines(const fs::path& path) {
    std::ifstream in(path);
    std::vector<json::object> lines;
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line).as_object());
    return lines;
  }

  fs::path dir_;
};

TEST_F(RequestExportTest, LineCarriesTimesRelativeToTheStepAndTheGaps) {
  harness::RequestRecord r;
  r.index = 7;
  r.intended_start_ns = 1'000;
  r.start_ns = 1'500;
  r.first_token_ns = 2'000;
  r.first_output_ns = 2'600;
  r.token_ns = {2'000, 2'600, 3'100};
  r.end_ns = 3'200;
  r.prompt_tokens = 12;
  r.output_tokens = 3;
  r.reasoning_tokens = 1;
  r.http_status = 200;
  r.retries = 2;
  r.finish_reason = "stop";
  const ExportStep step{"chat \"a\"", 3, 500};
  const json::object o = json::parse(request_line(step, false, r)).as_object();
  EXPECT_EQ(o.at("scenario").as_string(), "chat \"a\"");
  EXPECT_EQ(o.at("step").as_int64(), 3);
  EXPECT_EQ(o.at("index").as_int64(), 7);
  EXPECT_EQ(o.at("intended_start_ns").as_int64(), 500);
  EXPECT_EQ(o.at("start_ns").as_int64(), 1'000);
  EXPECT_EQ(o.at("ttft_ns").as_int64(), 500);
  EXPECT_EQ(o.at("ttfo_ns").as_int64(), 1'100);
  EXPECT_EQ(o.at("e2e_ns").as_int64(), 1'700);
  EXPECT_EQ(json::serialize(o.at("token_gaps_ns")), "[500,600,500]");
  EXPECT_EQ(o.at("reasoning_tokens").as_int64(), 1);
  EXPECT_EQ(o.at("retries").as_int64(), 2);
  EXPECT_TRUE(o.at("ok").as_bool());
  EXPECT_EQ(o.at("error_kind").as_string(), "none");

  harness::RequestRecord failed;
  failed.start_ns = 1'500;
  failed.end_ns = 1'900;
  failed.error = harness::ErrorKind::http_5xx;
  failed.error_message = "HTTP 503\n";
  const json::object f = json::parse(request_line(step, true, failed)).as_object();
  EXPECT_TRUE(f.at("ttft_ns").is_null());  // no first token: null, not 0
  EXPECT_TRUE(f.at("warmup").as_bool());
  EXPECT_EQ(f.at("error_kind").as_string(), "http_5xx");
  EXPECT_EQ(f.at("error").as_string(), "HTTP 503\n");
}

TEST_F(RequestExportTest, ManyWritersThroughATinyQueueLoseNothingAndRenameAtTheEnd) {
  const fs::path path = dir_ / "sub" / "requests.jsonl";
  RequestExport sink(path, /*capacity=*/2);  // writers must wait for the writer thread
  const ExportStep& step = sink.begin_step("s", 0, 0);
  EXPECT_TRUE(fs::exists(fs::path(path.string() + ".partial")));
  EXPECT_FALSE(fs::exists(path));
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      harness::RequestRecord r;
      r.start_ns = 10;
      r.end_ns = 20;
      for (int i = 0; i < kEach; ++i) {
        r.index = static_cast<std::uint64_t>(t * kEach + i);
        sink.add(step, false, r);
      }
    });
  }
  for (auto& t : threads) t.join();
  sink.finish();
  EXPECT_FALSE(fs::exists(fs::path(path.string() + ".partial")));
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 1u + kThreads * kEach);
  EXPECT_EQ(lines[0].at("llmbench_requests").as_int64(), RequestExport::kVersion);
  std::vector<std::uint64_t> seen;
  for (std::size_t i = 1; i < lines.size(); ++i) seen.push_back(lines[i].at("index").to_number<std::uint64_t>());
  std::sort(seen.begin(), seen.end());
  for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i);
}

TEST_F(RequestExportTest, AnUncreatablePathIsAnInputErrorNamingIt) {
  fs::create_directories(dir_);
  write_file_atomically(dir_ / "file", "x");
  try {
    RequestExport sink(dir_ / "file" / "requests.jsonl");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("requests.jsonl"), std::string::npos) << e.what();
  }
}

// Nearest rank, as LatencyHistogram::percentile defines it.
double exact_percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(q / 100 * static_cast<double>(v.size()))));
  return v[rank - 1];
}

TEST_F(RequestExportTest, PercentilesRecomputedFromTheFileMatchReportJson) {
  mock::MockConfig mock = mock::MockConfig::fixed_latency(2ms, 1ms, 4);
  mock.port = 0;
  mock.ttft = parse_duration_distribution("uniform(1ms,8ms)");  // spread, so percentiles differ
  mock::MockServer server(mock);
  server.start();

  ScenarioSpec s;
  s.name = "export";
  s.mode = harness::ExecutionModel::coroutine;
  s.operation = Operation::stream;
  s.threads = 1;
  s.timeouts.total = 20s;
  s.plan.concurrency = 4;
  s.plan.requests = 120;
  s.plan.warmup_requests = 8;
  s.save_requests = (dir_ / "requests.jsonl").string();
  SuiteSpec suite;
  suite.name = "test";
  suite.source = "request_export_test";
  suite.scenarios = {s};
  RunOptions o;
  o.embedded = EmbeddedTarget{server.base_url(), {}, std::nullopt};
  const RunOutcome outcome = run_suite(suite, o);
  fs::create_directories(dir_);
  write_file_atomically(dir_ / "report.json", result::to_json_text(outcome.report));
  const result::RunReport report = result::load_report_file((dir_ / "report.json").string());
  const auto& d = report.scenarios.at(0).steps.at(0).metrics.distributions;

  const auto lines = read_lines(dir_ / "requests.jsonl");
  ASSERT_FALSE(lines.empty());
  std::vector<double> ttft, e2e;
  std::size_t warmup = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const json::object& l = lines[i];
    EXPECT_EQ(l.at("scenario").as_string(), "export");
    if (l.at("warmup").as_bool()) {
      ++warmup;
      continue;
    }
    ASSERT_TRUE(l.at("ok").as_bool());
    ttft.push_back(static_cast<double>(l.at("ttft_ns").as_int64()));
    e2e.push_back(static_cast<double>(l.at("e2e_ns").as_int64()));
    EXPECT_EQ(l.at("token_gaps_ns").as_array().size(), 4u);
  }
  EXPECT_EQ(warmup, 8u);
  ASSERT_EQ(ttft.size(), d.ttft.count());
  ASSERT_EQ(e2e.size(), d.e2e.count());
  for (const double q : {50.0, 90.0, 99.0, 100.0}) {
    const double tol = metrics::LatencyHistogram::kMaxRelativeError;
    EXPECT_NEAR(d.ttft.percentile(q), exact_percentile(ttft, q), exact_percentile(ttft, q) * tol) << "p" << q;
    EXPECT_NEAR(d.e2e.percentile(q), exact_percentile(e2e, q), exact_percentile(e2e, q) * tol) << "p" << q;
  }
}

}  // namespace
}  // namespace llmbench::load
