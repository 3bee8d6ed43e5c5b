// Distributed runs end to end (docs/distributed.md): the standalone mock and shard processes on
// loopback, --start-at, merge --expect-shards and gate; a shard with a shifted wall clock
// (faketime) exits 4; mpirun launches shards that find their index with --shard auto; --out -
// frames the report for `kubectl logs | llmbench merge -`.
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/wall_time.h"
#include "harness/result/report_json.h"
#include "tests/cli/cli_fixture.h"
#include "tests/support/sanitizers.h"

namespace llmbench::clitest {
namespace {

using namespace std::chrono_literals;
using test_support::kTimingSlack;

class ShardTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    mock_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        bin(), "mock", "--port", "0", "--ttft", "5ms", "--itl", "1ms", "--output-tokens", "4"});
    ASSERT_TRUE(mock_->wait_for_stdout("\n", 20s)) << mock_->out() << mock_->err();
    const std::string line = mock_->out().substr(0, mock_->out().find('\n'));
    const std::string prefix = "llmbench mock listening on ";
    ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
    url_ = line.substr(prefix.size(), line.find(' ', prefix.size()) - prefix.size());
  }
  void TearDown() override {
    if (mock_) {
      mock_->send_signal(SIGTERM);
      mock_->wait(20s);
    }
    CliTest::TearDown();
  }

  // An open loop of `rate` req/s (global) for `duration`, streamed to the mock.
  std::vector<std::string> open_loop(const std::string& rate, const std::string& duration) const {
    return {"run",     "--target", url_,   "--model",    "mock-model", "--op",   "stream", "--set",
            "scenario.load=open",  "--rate", rate, "--arrival", "poisson",    "--duration", duration, "-q"};
  }

  static std::string start_in(double seconds) {
    return format_rfc3339_ns(wall_now_ns() + static_cast<std::int64_t>(seconds * kTimingSlack * 1e9));
  }

  static result::RunReport load(const fs::path& p) { return result::load_report_file(p.string()); }

  std::unique_ptr<ChildProcess> mock_;
  std::string url_;
};

// A program on PATH (posix_spawn does not search it); "" when missing, and the test fails naming
// the Debian package that scripts/install-deps.sh installs.
std::string on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t pos = 0;
  while (pos <= dirs.size()) {
    const std::size_t colon = dirs.find(':', pos);
    const fs::path candidate = fs::path(dirs.substr(pos, colon - pos)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  return "";
}

std::uint64_t total(const result::RunReport& r) {
  std::uint64_t n = 0;
  for (const auto& s : r.scenarios)
    for (const auto& step : s.steps) n += step.metrics.counts.total;
  return n;
}

TEST_F(ShardTest, FourShardsStartTogetherAndMergeIntoTheUnionOfTheirRecords) {
  const std::string at = start_in(2.5);
  std::vector<std::unique_ptr<ChildProcess>> shards;
  for (int i = 0; i < 4; ++i) {
    shards.push_back(std::make_unique<ChildProcess>(concat(
        concat({bin()}, open_loop("200", "1s")),
        {"--shard", std::to_string(i) + "/4", "--start-at", at, "--out", path("shards").string()})));
  }
  for (auto& shard : shards) {
    const ProcessResult r = shard->wait(60s);
    ASSERT_EQ(r.exit_code, 0) << r.all();
  }
  const ProcessResult merge = llmbench({"merge", path("shards/shard-0.json").string(), path("shards/shard-1.json").string(),
                                        path("shards/shard-2.json").string(), path("shards/shard-3.json").string(),
                                        "--expect-shards", "4", "-o", path("merged.json").string()});
  ASSERT_EQ(merge.exit_code, 0) << merge.all();
  EXPECT_TRUE(contains(merge.out, "start skew")) << merge.out;

  const result::RunReport merged = load(path("merged.json"));
  ASSERT_TRUE(merged.distributed);
  EXPECT_FALSE(merged.distributed->partial);
  ASSERT_EQ(merged.distributed->shards.size(), 4u);
  ASSERT_TRUE(merged.distributed->start_skew_ms);
  EXPECT_LT(*merged.distributed->start_skew_ms, 500 * kTimingSlack);
  // The union of the shards' records: counts add, and the percentiles are those of the added
  // histograms (each shard's histogram holds its records exactly as recorded).
  std::uint64_t sum = 0;
  metrics::LatencyHistogram ttft, e2e;
  for (int i = 0; i < 4; ++i) {
    const result::RunReport part = load(path("shards/shard-" + std::to_string(i) + ".json"));
    ASSERT_TRUE(part.distributed);
    const result::ShardRecord& self = part.distributed->shards.at(0);
    EXPECT_EQ(self.index, static_cast<std::uint32_t>(i));
    EXPECT_EQ(part.distributed->run_id, merged.distributed->run_id);
    // Started at the planned instant, not before it (the wait was on the steady clock).
    EXPECT_GE(*parse_rfc3339_ns(self.actual_start), *parse_rfc3339_ns(at) - 2'000'000) << self.actual_start;
    EXPECT_GT(self.requests, 0u);
    sum += total(part);
    ttft.merge(part.scenarios.at(0).steps.at(0).metrics.distributions.ttft);
    e2e.merge(part.scenarios.at(0).steps.at(0).metrics.distributions.e2e);
  }
  EXPECT_EQ(total(merged), sum);
  EXPECT_GT(sum, 100u);  // about 200 req/s for 1 s
  const auto& m = merged.scenarios.at(0).steps.at(0).metrics;
  EXPECT_EQ(m.distributions.ttft.count(), ttft.count());
  for (const double p : {50.0, 90.0, 99.0}) {
    EXPECT_EQ(m.distributions.ttft.percentile(p), ttft.percentile(p)) << p;
    EXPECT_EQ(m.distributions.e2e.percentile(p), e2e.percentile(p)) << p;
  }
  // The concurrency cap and target rate in the merged report are the global ones again.
  ASSERT_TRUE(m.timing.target_rate_rps);
  EXPECT_NEAR(*m.timing.target_rate_rps, 200.0, 1e-9);

  const ProcessResult gate = llmbench({"gate", path("merged.json").string(), "--threshold", "error_rate < 1%"});
  EXPECT_EQ(gate.exit_code, 0) << gate.all();
}

TEST_F(ShardTest, ALateShardExits4AndTheMergeWithoutItIsRefusedOrMarkedPartial) {
  const std::string faketime = on_path("faketime");
  ASSERT_FALSE(faketime.empty()) << "faketime (Debian package faketime, scripts/install-deps.sh test) is missing";
  const std::string at = start_in(2.0);
  std::vector<std::unique_ptr<ChildProcess>> shards;
  for (int i = 0; i < 4; ++i) {
    std::vector<std::string> argv = concat(
        concat({bin()}, open_loop("100", "500ms")),
        {"--shard", std::to_string(i) + "/4", "--start-at", at, "--max-late", "1s", "--out",
         // --out names the directory, or the shard's file (as deploy/ does)
         i == 0 ? path("shards/shard-0.json").string() : path("shards").string()});
    std::map<std::string, std::string> env;
    if (i == 3) {
      // Shard 3's wall clock is 30 s ahead (its monotonic clock is not): it wakes up too late.
      argv.insert(argv.begin(), {faketime, "-f", "+30s"});
      env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
      // libfaketime is LD_PRELOADed ahead of the sanitizer runtime; ASan refuses that unless told.
      const char* asan = std::getenv("ASAN_OPTIONS");
      env["ASAN_OPTIONS"] = std::string(asan != nullptr && *asan != '\0' ? std::string(asan) + ":" : "") +
                            "verify_asan_link_order=0";
    }
    shards.push_back(std::make_unique<ChildProcess>(argv, env));
  }
  for (int i = 0; i < 4; ++i) {
    const ProcessResult r = shards[static_cast<std::size_t>(i)]->wait(60s);
    if (i == 3) {
      ASSERT_EQ(r.exit_code, 4) << r.all();
      EXPECT_TRUE(contains(r.err, "too late")) << r.err;
    } else {
      ASSERT_EQ(r.exit_code, 0) << r.all();
    }
  }
  EXPECT_FALSE(fs::exists(path("shards/shard-3.json")));  // no misaligned load, no report
  std::vector<std::string> inputs = {"merge", path("shards/shard-0.json").string(),
                                     path("shards/shard-1.json").string(), path("shards/shard-2.json").string(),
                                     "--expect-shards", "4", "-o", path("merged.json").string()};
  const ProcessResult refused = llmbench(inputs);
  EXPECT_EQ(refused.exit_code, 2) << refused.all();
  EXPECT_TRUE(contains(refused.err, "index 3")) << refused.err;
  EXPECT_FALSE(fs::exists(path("merged.json")));

  inputs.push_back("--allow-partial");
  const ProcessResult partial = llmbench(inputs);
  ASSERT_EQ(partial.exit_code, 0) << partial.all();
  EXPECT_TRUE(load(path("merged.json")).distributed->partial);
  // gate judges a partial load only when told to.
  const ProcessResult gate = llmbench({"gate", path("merged.json").string(), "--threshold", "error_rate < 1%"});
  EXPECT_EQ(gate.exit_code, 2) << gate.all();
  EXPECT_TRUE(contains(gate.err, "--allow-partial")) << gate.err;
  const ProcessResult allowed =
      llmbench({"gate", path("merged.json").string(), "--threshold", "error_rate < 1%", "--allow-partial"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.all();
}

TEST_F(ShardTest, MpirunShardsFindTheirIndexAndSplitTheRequestCountExactly) {
  const std::string mpirun = on_path("mpirun");
  ASSERT_FALSE(mpirun.empty()) << "mpirun (Debian package openmpi-bin, scripts/install-deps.sh test) is missing";
  // Closed loop: 4 users and 41 requests (global) over 4 ranks.
  const ProcessResult r = run_process(
      {mpirun, "--allow-run-as-root", "--oversubscribe", "-np", "4", bin(), "run", "--target", url_, "--model",
       "mock-model", "--concurrency", "4", "--requests", "41", "--shard", "auto", "-q", "--out",
       path("shards").string()},
      {{"OMPI_MCA_plm_rsh_agent", ""}}, 120s);
  ASSERT_EQ(r.exit_code, 0) << r.all();
  std::vector<std::string> inputs = {"merge"};
  std::uint64_t sum = 0;
  for (int i = 0; i < 4; ++i) {
    const fs::path file = path("shards/shard-" + std::to_string(i) + ".json");
    ASSERT_TRUE(fs::exists(file)) << file << "\n" << r.all();
    const result::RunReport part = load(file);
    EXPECT_EQ(part.distributed->shard_count, 4u);
    EXPECT_EQ(part.distributed->shards.at(0).index, static_cast<std::uint32_t>(i));
    EXPECT_EQ(total(part), i == 0 ? 11u : 10u);  // 41 split exactly
    sum += total(part);
    inputs.push_back(file.string());
  }
  EXPECT_EQ(sum, 41u);
  inputs.insert(inputs.end(), {"--expect-shards", "4", "-o", path("merged.json").string()});
  const ProcessResult merge = llmbench(inputs);
  ASSERT_EQ(merge.exit_code, 0) << merge.all();
  EXPECT_EQ(total(load(path("merged.json"))), 41u);
  EXPECT_EQ(load(path("merged.json")).scenarios.at(0).steps.at(0).metrics.timing.concurrency, 4u);
}

TEST_F(ShardTest, FramedStdoutOfInterleavedShardsMergesFromStdin) {
  std::string logs = "unrelated log line\n";
  for (int i = 0; i < 2; ++i) {
    const ProcessResult r = llmbench(concat(concat({}, open_loop("50", "300ms")),
                                            {"--shard", std::to_string(i) + "/2", "--run-id", "selftest", "--out", "-"}));
    ASSERT_EQ(r.exit_code, 0) << r.all();
    EXPECT_TRUE(contains(r.out, "llmbench-report-begin shard=" + std::to_string(i) + "/2 run=selftest")) << r.out;
    // As `kubectl logs --prefix` shows it: every line prefixed with its pod.
    const std::string pod = "[pod/llmbench-" + std::to_string(i) + "/llmbench] ";
    std::size_t pos = 0;
    while (pos < r.out.size()) {
      const std::size_t nl = r.out.find('\n', pos);
      logs += pod + r.out.substr(pos, nl - pos) + "\n";
      pos = nl == std::string::npos ? r.out.size() : nl + 1;
    }
  }
  write_text(path("logs.txt"), logs);
  const ProcessResult merge = run_process(
      {"/bin/sh", "-c", "\"$0\" merge - --expect-shards 2 -o \"$1\" < \"$2\"", bin(), path("merged.json").string(),
       path("logs.txt").string()});
  ASSERT_EQ(merge.exit_code, 0) << merge.all();
  const result::RunReport merged = load(path("merged.json"));
  EXPECT_EQ(merged.distributed->run_id, "selftest");
  EXPECT_EQ(merged.distributed->shards.size(), 2u);
  // A truncated log is refused.
  write_text(path("cut.txt"), logs.substr(0, logs.size() - 200));
  const ProcessResult cut = run_process(
      {"/bin/sh", "-c", "\"$0\" merge - -o \"$1\" < \"$2\"", bin(), path("m2.json").string(), path("cut.txt").string()});
  EXPECT_EQ(cut.exit_code, 2) << cut.all();
}

TEST_F(ShardTest, BadShardFlagsAreUsageErrorsBeforeAnythingRuns) {
  const auto run = [&](std::vector<std::string> extra) {
    return llmbench(concat({"run", "--target", url_, "--model", "mock-model", "--requests", "4", "-q", "--out",
                            path("out").string()},
                           extra));
  };
  const ProcessResult bad_index = run({"--shard", "4/4"});
  EXPECT_EQ(bad_index.exit_code, 2);
  EXPECT_TRUE(contains(bad_index.err, "--shard")) << bad_index.err;
  const ProcessResult no_env = run({"--shard", "auto"});
  EXPECT_EQ(no_env.exit_code, 2);
  EXPECT_TRUE(contains(no_env.err, "JOB_COMPLETION_INDEX/LLMBENCH_SHARDS")) << no_env.err;
  const ProcessResult conflict =
      llmbench({"run", "--target", url_, "--model", "mock-model", "--requests", "4", "-q", "--shard", "auto"},
               {{"SLURM_PROCID", "1"}, {"SLURM_NTASKS", "4"}, {"PMI_RANK", "2"}, {"PMI_SIZE", "4"}});
  EXPECT_EQ(conflict.exit_code, 2);
  EXPECT_TRUE(contains(conflict.err, "conflicting")) << conflict.err;
  const ProcessResult bad_time = run({"--start-at", "in 3 seconds"});
  EXPECT_EQ(bad_time.exit_code, 2);
  EXPECT_TRUE(contains(bad_time.err, "--start-at")) << bad_time.err;
  const ProcessResult users = run({"--shard", "0/8", "--concurrency", "4"});
  EXPECT_EQ(users.exit_code, 2);
  EXPECT_TRUE(contains(users.err, "concurrency")) << users.err;
  EXPECT_TRUE(files_under(path("out")).empty());
}

}  // namespace
}  // namespace llmbench::clitest
