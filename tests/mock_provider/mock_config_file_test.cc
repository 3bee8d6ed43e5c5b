#include "mock_provider/mock_config_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/input_error.h"

namespace llmbench::mock {
namespace {

MockConfig apply(std::string_view text) {
  MockConfig config;
  apply_mock_config_table(config, toml::parse(text), "scenario.toml");
  return config;
}

std::string error_of(std::string_view text) {
  try {
    apply(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(MockConfigFileTest, AppliesEveryKey) {
  ::setenv("LLMBENCH_TEST_MOCK_KEY", "sk-test-123", 1);
  const MockConfig c = apply(R"toml(
port = 0
threads = 32
event_loops = 2
seed = 7
ttft = "normal(50ms,5ms)"
itl = "uniform(5ms,15ms)"
output_tokens = 64
prefill_per_prompt_token = "0.1ms"
decode_slots = 8
max_waiting = 16
load_slowdown = 2.5
rate_limit_rpm = 600
rate_limit_tpm = 90000
faults = { "429" = 0.05, drop = 0.01 }
trickle_itl = "1s"
stall_timeout = "30s"
idle_timeout = "10s"
models = ["a", "b"]
reject_unknown_models = true
api_key_env = "LLMBENCH_TEST_MOCK_KEY"
max_body_bytes = 1024
max_output_tokens = 4096
)toml");
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.threads, 32u);
  EXPECT_EQ(c.event_loops, 2u);
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.ttft, (Distribution{Distribution::Kind::normal, 50e6, 5e6}));
  EXPECT_EQ(c.itl, (Distribution{Distribution::Kind::uniform, 5e6, 15e6}));
  EXPECT_EQ(c.output_tokens, Distribution::fixed(64));
  EXPECT_EQ(c.prefill_per_prompt_token, std::chrono::microseconds(100));
  EXPECT_EQ(c.decode_slots, 8u);
  EXPECT_EQ(c.max_waiting, 16u);
  EXPECT_EQ(c.load_slowdown, 2.5);
  EXPECT_EQ(c.rate_limit_rpm, 600u);
  EXPECT_EQ(c.rate_limit_tpm, 90000u);
  ASSERT_EQ(c.faults.size(), 2u);
  EXPECT_EQ(c.trickle_itl, std::chrono::seconds(1));
  EXPECT_EQ(c.stall_timeout, std::chrono::seconds(30));
  EXPECT_EQ(c.idle_timeout, std::chrono::seconds(10));
  EXPECT_EQ(c.models, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(c.reject_unknown_models);
  EXPECT_EQ(c.api_key, "sk-test-123");
  EXPECT_EQ(c.max_body_bytes, 1024u);
  EXPECT_EQ(c.max_output_tokens, 4096u);
}

TEST(MockConfigFileTest, UnknownKeyNamesFileLineAndKey) {
  EXPECT_EQ(error_of("ttft = \"50ms\"\nttft_ms = 50\n").rfind("scenario.toml:2: ttft_ms: unknown key", 0), 0u)
      << error_of("ttft = \"50ms\"\nttft_ms = 50\n");
}

TEST(MockConfigFileTest, WrongTypesNameTheKey) {
  EXPECT_NE(error_of("port = \"80\"").find("scenario.toml:1: port: expected an integer"), std::string::npos);
  EXPECT_NE(error_of("ttft = 50").find("ttft: expected a string"), std::string::npos);
  EXPECT_NE(error_of("ttft = \"50\"").find("ttft: invalid distribution '50'"), std::string::npos);
  EXPECT_NE(error_of("port = 70000").find("scenario.toml:1: port: must be at most 65535"), std::string::npos);
  EXPECT_NE(error_of("event_loops = 65").find("event_loops: must be at most 64"), std::string::npos);
  EXPECT_NE(error_of("faults = { boom = 0.1 }").find("faults.boom: unknown fault kind"), std::string::npos);
  EXPECT_NE(error_of("faults = { drop = 2 }").find("faults.drop: rate 2 is outside"), std::string::npos);
  EXPECT_NE(error_of("load_slowdown = 2.0").find("scenario.toml:1: load_slowdown: needs decode_slots >= 2"),
            std::string::npos);
  EXPECT_NE(error_of("api_key_env = \"LLMBENCH_SURELY_UNSET_VAR\"").find("is not set"), std::string::npos);
}

TEST(MockConfigFileTest, LoadsAFileWithAMockTable) {
  const auto path = std::filesystem::temp_directory_path() / "llmbench_mock_config_test.toml";
  std::ofstream(path) << "[mock]\nitl = \"5ms\"\noutput_tokens = \"uniform(1,3)\"\n";
  const MockConfig c = load_mock_config_file(path);
  EXPECT_EQ(c.itl, Distribution::fixed(5e6));
  EXPECT_EQ(c.output_tokens, (Distribution{Distribution::Kind::uniform, 1, 3}));
  std::ofstream(path) << "itl = [\n";
  EXPECT_THROW(load_mock_config_file(path), InputError);
  std::filesystem::remove(path);
}

TEST(MockConfigFileTest, FaultSpecs) {
  MockConfig c;
  add_fault_spec(c, "429=0.05");
  add_fault_spec(c, "stall=0.5");
  add_fault_spec(c, "429=0.1");  // replaces
  ASSERT_EQ(c.faults.size(), 2u);
  EXPECT_EQ(c.faults[1], std::make_pair(FaultKind::http_429, 0.1));
  for (const auto& [bad, expected] : {std::pair{"429", "--fault: '429' is not KEY=VALUE"},
                                      {"boom=0.1", "--fault: faults.boom: unknown fault kind"},
                                      {"drop=x", "--fault: faults.drop: expected a number"},
                                      {"drop=1.5", "--fault: faults.drop: rate 1.5 is outside [0, 1]"},
                                      {"drop=", "--fault: faults.drop: expected a number"}}) {
    try {
      add_fault_spec(c, bad);
      ADD_FAILURE() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

// docs/mock.md's key reference is the schema's table: adding or changing a key without the docs
// (or the docs without the code) fails here, printing the table to paste.
TEST(MockConfigFileTest, DocsKeyReferenceIsTheSchema) {
  std::ifstream in(std::filesystem::path(LLMBENCH_SOURCE_DIR) / "docs" / "mock.md");
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string begin = "<!-- mock keys: begin -->\n", end = "<!-- mock keys: end -->";
  const auto from = docs.find(begin), to = docs.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string expected = config::markdown_reference(mock_schema());
  EXPECT_EQ(docs.substr(from + begin.size(), to - from - begin.size()), expected)
      << "docs/mock.md, between the markers, should read:\n" << expected;
}

// The echo in report.json names keys as in the file, and leaves out the machine-local ones.
TEST(MockConfigFileTest, EchoNamesKeysAsInTheFile) {
  MockConfig c;
  c.decode_slots = 4;
  const auto echo = config::echo(mock_schema(), c);
  EXPECT_EQ(echo.at("decode_slots").as_uint64(), 4u);
  EXPECT_EQ(echo.at("ttft").as_string(), "50ms");
  EXPECT_FALSE(echo.contains("port"));
  EXPECT_FALSE(echo.contains("api_key_env"));
}

}  // namespace
}  // namespace llmbench::mock
