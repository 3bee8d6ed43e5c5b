// `llmbench mock` as a standalone process: URL line first, serves, stops cleanly on signals,
// rejects bad flags with exit 2.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <string>
#include <tuple>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

using namespace std::chrono_literals;

constexpr const char* kUrlPrefix = "llmbench mock listening on ";

// Waits for the first stdout line and returns the URL in it ("" after a test failure).
std::string first_line_url(ChildProcess& mock) {
  const bool got_line = mock.read_until(
      [](const std::string& o, const std::string&) { return o.find('\n') != std::string::npos; }, 20s);
  if (!got_line) {
    ADD_FAILURE() << "no first line on stdout:\n" << mock.out() << mock.err();
    return "";
  }
  const std::string line = mock.out().substr(0, mock.out().find('\n'));
  if (line.rfind(kUrlPrefix, 0) != 0) {
    ADD_FAILURE() << "the first stdout line should start with '" << kUrlPrefix << "': " << line;
    return "";
  }
  const std::size_t start = std::string(kUrlPrefix).size();
  return line.substr(start, line.find(' ', start) - start);
}

std::string port_of(const std::string& url) { return url.substr(url.rfind(':') + 1); }

using EngineSignal = std::tuple<std::string, int>;

class MockProcessTest : public CliTest, public ::testing::WithParamInterface<EngineSignal> {};

TEST_P(MockProcessTest, PrintsUrlFirstServesAndExitsZeroOnSignal) {
  const auto& [engine, sig] = GetParam();
  ChildProcess mock({bin(), "mock", "--port", "0", "--engine", engine, "--ttft", "5ms", "--itl", "1ms",
                     "--output-tokens", "4"});
  const std::string url = first_line_url(mock);
  ASSERT_FALSE(url.empty());
  EXPECT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << "loopback by default: " << url;
  EXPECT_NE(port_of(url), "0") << "port 0 must be replaced by the bound port";
  EXPECT_TRUE(contains(mock.out(), "(engine " + engine + ")")) << mock.out();

  const fs::path out = path("out");
  const ProcessResult run = llmbench({"run", "--target", url, "--model", "mock-model", "--op", "stream",
                                      "--requests", "3", "--out", out.string()});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(count_field(parse_json_file(out / "report.json"), "ok"), 3);

  mock.send_signal(sig);
  const ProcessResult r = mock.wait(20s);
  EXPECT_FALSE(r.timed_out) << r.all();
  EXPECT_EQ(r.exit_code, 0) << r.all();
  EXPECT_TRUE(contains(r.err, "stopped")) << r.err;
}

INSTANTIATE_TEST_SUITE_P(EnginesAndSignals, MockProcessTest,
                         ::testing::Combine(::testing::Values("asio", "httplib"), ::testing::Values(SIGTERM, SIGINT)),
                         [](const ::testing::TestParamInfo<EngineSignal>& p) {
                           return std::get<0>(p.param) + (std::get<1>(p.param) == SIGTERM ? "_SIGTERM" : "_SIGINT");
                         });

using MockCommandTest = CliTest;

// docs/mock.md: "It binds 127.0.0.1 unless --host says otherwise" -- an explicit --host is the
// one way to listen elsewhere; the stderr banner says where it is bound.
TEST_F(MockCommandTest, ExplicitHostAllInterfacesIsAcceptedAndAnnounced) {
  ChildProcess mock({bin(), "mock", "--port", "0", "--host", "0.0.0.0", "--ttft", "5ms", "--itl", "1ms",
                     "--output-tokens", "4"});
  const std::string url = first_line_url(mock);
  ASSERT_FALSE(url.empty());
  EXPECT_EQ(url.rfind("http://0.0.0.0:", 0), 0u) << url;
  ASSERT_TRUE(mock.wait_for_stderr("bound to 0.0.0.0", 20s)) << mock.err();
  // Listening on every interface includes loopback.
  const fs::path out = path("out");
  const ProcessResult run =
      llmbench({"run", "--target", "http://127.0.0.1:" + port_of(url), "--model", "mock-model", "--requests", "2",
                "--out", out.string()});
  EXPECT_EQ(count_field(parse_json_file(out / "report.json"), "ok"), 2) << run.all();
  mock.send_signal(SIGTERM);
  EXPECT_EQ(mock.wait(20s).exit_code, 0);
}

TEST_F(MockCommandTest, DefaultBannerSaysLoopbackOnly) {
  ChildProcess mock({bin(), "mock", "--port", "0"});
  ASSERT_FALSE(first_line_url(mock).empty());
  ASSERT_TRUE(mock.wait_for_stderr("\n", 20s)) << mock.err();
  EXPECT_TRUE(contains(mock.err(), "127.0.0.1")) << mock.err();
  EXPECT_TRUE(contains(mock.err(), "loopback")) << mock.err();
  mock.send_signal(SIGTERM);
  EXPECT_EQ(mock.wait(20s).exit_code, 0);
}

struct BadMockFlag {
  std::string name;
  std::vector<std::string> args;
  std::string flag;
};

void PrintTo(const BadMockFlag& c, std::ostream* os) { *os << c.name; }

class MockBadFlagTest : public CliTest, public ::testing::WithParamInterface<BadMockFlag> {};

TEST_P(MockBadFlagTest, ExitsTwoNamingTheFlagWithoutListening) {
  const BadMockFlag& c = GetParam();
  std::vector<std::string> args = {"mock", "--port", "0"};
  args = concat(args, c.args);
  const ProcessResult r = llmbench(args, {}, 20s);
  ASSERT_FALSE(r.timed_out) << "the mock started instead of rejecting the flag:\n" << r.all();
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, c.flag)) << r.err;
  EXPECT_FALSE(contains(r.out, kUrlPrefix)) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Flags, MockBadFlagTest,
    ::testing::Values(BadMockFlag{"unknown_fault_kind", {"--fault", "bogus=1"}, "--fault"},
                      BadMockFlag{"fault_rate_out_of_range", {"--fault", "500=7"}, "--fault"},
                      BadMockFlag{"fault_without_rate", {"--fault", "500"}, "--fault"},
                      BadMockFlag{"port_out_of_range", {"--port", "70000"}, "--port"},
                      BadMockFlag{"too_many_event_loops", {"--event-loops", "65"}, "--event-loops"},
                      BadMockFlag{"load_slowdown_below_one", {"--load-slowdown", "0.5"}, "--load-slowdown"},
                      BadMockFlag{"unknown_engine", {"--engine", "nope"}, "--engine"},
                      BadMockFlag{"bare_number_ttft", {"--ttft", "50"}, "--ttft"},
                      BadMockFlag{"missing_config_file", {"--config", "/nonexistent/mock.toml"}, "--config"},
                      BadMockFlag{"unset_api_key_env", {"--api-key-env", "LLMBENCH_TEST_SURELY_UNSET"},
                                  "LLMBENCH_TEST_SURELY_UNSET"}),
    [](const ::testing::TestParamInfo<BadMockFlag>& p) { return p.param.name; });

TEST_F(MockCommandTest, UnresolvableHostIsAnInputError) {
  const ProcessResult r = llmbench({"mock", "--port", "0", "--host", "no-such-host.invalid"}, {}, 20s);
  ASSERT_FALSE(r.timed_out) << r.all();
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_FALSE(contains(r.out, kUrlPrefix)) << r.out;
  EXPECT_TRUE(contains(r.err, "--host")) << r.err;
  EXPECT_TRUE(contains(r.err, "no-such-host.invalid")) << r.err;
  EXPECT_FALSE(contains(r.err, ".hpp")) << "a Boost source location leaked: " << r.err;
}

// A listening socket on 127.0.0.1 holding a port for the test's lifetime.
class BusyPort {
 public:
  BusyPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 1) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~BusyPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  BusyPort(const BusyPort&) = delete;
  BusyPort& operator=(const BusyPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

class MockEngineTest : public CliTest, public ::testing::WithParamInterface<std::string> {};

// docs/mock.md: a busy port names the address and the way out, in llmbench's words (no Boost
// source location), and exits 2 like every other unusable flag value.
TEST_P(MockEngineTest, BusyPortNamesTheAddressAndSuggestsPortZero) {
  const BusyPort busy;
  ASSERT_NE(busy.port(), 0);
  const std::string port = std::to_string(busy.port());
  const ProcessResult r = llmbench({"mock", "--port", port, "--engine", GetParam()}, {}, 20s);
  ASSERT_FALSE(r.timed_out) << "the mock should not have started:\n" << r.all();
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_FALSE(contains(r.out, kUrlPrefix)) << r.out;
  EXPECT_TRUE(contains(r.err, "llmbench mock: error: --port: 127.0.0.1:" + port + " is already in use")) << r.err;
  EXPECT_TRUE(contains(r.err, "--port 0")) << r.err;
  EXPECT_FALSE(contains(r.err, ".hpp")) << "a Boost source location leaked: " << r.err;
}

// `--host localhost` listens on the address the name resolves to (IPv4 loopback) and serves.
TEST_P(MockEngineTest, HostNameLocalhostResolvesAndServes) {
  ChildProcess mock({bin(), "mock", "--port", "0", "--host", "localhost", "--engine", GetParam(), "--ttft", "5ms",
                     "--itl", "1ms", "--output-tokens", "4"});
  const std::string url = first_line_url(mock);
  ASSERT_FALSE(url.empty()) << mock.err();
  EXPECT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  ASSERT_TRUE(mock.wait_for_stderr("loopback only", 20s)) << mock.err();
  const fs::path out = path("out");
  const ProcessResult run = llmbench({"run", "--target", "http://localhost:" + port_of(url), "--model",
                                      "mock-model", "--requests", "2", "--out", out.string()});
  EXPECT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(count_field(parse_json_file(out / "report.json"), "ok"), 2) << run.all();
  mock.send_signal(SIGTERM);
  EXPECT_EQ(mock.wait(20s).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, MockEngineTest, ::testing::Values("asio", "httplib"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST_F(MockCommandTest, BadConfigFileNamesFileLineAndKey) {
  write_text(path("mock.toml"), "ttft = \"5ms\"\nbogus_key = 1\n");
  const ProcessResult r = llmbench({"mock", "--port", "0", "--config", path("mock.toml").string()}, {}, 20s);
  ASSERT_FALSE(r.timed_out) << r.all();
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "mock.toml:2")) << r.err;
  EXPECT_TRUE(contains(r.err, "bogus_key")) << r.err;
}

}  // namespace
}  // namespace llmbench::clitest
