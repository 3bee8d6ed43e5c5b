// `llmbench run FILE` with malformed scenario files: exit 2, stderr names file:line and the key,
// nothing is written. A well-formed variant of the same file runs, so each failure is the
// malformation's doing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/cli/cli_fixture.h"

namespace llmbench::clitest {
namespace {

constexpr const char* kFastMock = R"([target.mock]
ttft = "5ms"
itl = "1ms"
output_tokens = 4

)";

struct MalformedCase {
  std::string name;
  std::string toml;  // after kFastMock (6 lines), so the scenario body starts on line 6
  std::vector<std::string> expected_in_stderr;
  std::string extra_file_name = "";
  std::string extra_file_text = "";
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

class ScenarioErrorTest : public CliTest, public ::testing::WithParamInterface<MalformedCase> {};

TEST_P(ScenarioErrorTest, ExitsTwoNamingFileLineAndKeyWithNothingWritten) {
  const MalformedCase& c = GetParam();
  write_text(path("suite.toml"), std::string(kFastMock) + c.toml);
  if (!c.extra_file_name.empty()) {
    fs::create_directories(path(c.extra_file_name).parent_path());
    write_text(path(c.extra_file_name), c.extra_file_text);
  }
  const fs::path out = path("out");
  const ProcessResult r = llmbench({"run", path("suite.toml").string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "error")) << r.err;
  for (const std::string& text : c.expected_in_stderr) {
    EXPECT_TRUE(contains(r.err, text)) << "stderr should contain '" << text << "':\n" << r.err;
  }
  EXPECT_TRUE(files_under(out).empty()) << "nothing may be written for bad input";
  EXPECT_FALSE(contains(r.out, "Reports written")) << r.out;
}

// `llmbench dataset` reads the suite the way `run` does: the same errors, the same exit code.
TEST_P(ScenarioErrorTest, DatasetGivesTheSameError) {
  const MalformedCase& c = GetParam();
  write_text(path("suite.toml"), std::string(kFastMock) + c.toml);
  if (!c.extra_file_name.empty()) {
    fs::create_directories(path(c.extra_file_name).parent_path());
    write_text(path(c.extra_file_name), c.extra_file_text);
  }
  const ProcessResult r = llmbench({"dataset", path("suite.toml").string()});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  for (const std::string& text : c.expected_in_stderr) {
    EXPECT_TRUE(contains(r.err, text)) << "stderr should contain '" << text << "':\n" << r.err;
  }
  EXPECT_TRUE(r.out.empty()) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ScenarioErrorTest,
    ::testing::Values(
        MalformedCase{"toml_syntax", "[[scenario]]\nmode = \"sync\nrequests = 2\n", {"suite.toml:7"}},
        MalformedCase{"unknown_key",
                      "[[scenario]]\nrequests = 2\nconcurency = 3\n",
                      {"suite.toml:8", "concurency", "unknown key"}},
        MalformedCase{"unknown_table", "[scenarioo]\nrequests = 2\n", {"suite.toml:6", "scenarioo"}},
        MalformedCase{"wrong_type", "[[scenario]]\nrequests = \"many\"\n", {"suite.toml:7", "requests"}},
        MalformedCase{"wrong_type_in_target", "[[scenario]]\nrequests = 2\n[target]\nengine = 3\n",
                      {"suite.toml:9", "engine"}},
        MalformedCase{"zero_concurrency", "[[scenario]]\nmode = \"threaded\"\nrequests = 2\nconcurrency = 0\n",
                      {"suite.toml:9", "concurrency"}},
        MalformedCase{"negative_requests", "[[scenario]]\nrequests = -5\n", {"suite.toml:7", "requests"}},
        MalformedCase{"zero_duration", "[[scenario]]\nduration = \"0s\"\n", {"suite.toml:7", "duration"}},
        MalformedCase{"sync_with_concurrency",
                      "[[scenario]]\nmode = \"sync\"\nrequests = 2\nconcurrency = 4\n",
                      {"suite.toml:9", "concurrency"}},
        MalformedCase{"open_loop_batch",
                      "[[scenario]]\nmode = \"threaded\"\noperation = \"batch\"\nrate = 10\nrequests = 2\n",
                      {"suite.toml:", "batch"}},
        MalformedCase{"no_scenarios", "[suite]\nname = \"empty\"\n", {"suite.toml", "scenario"}},
        MalformedCase{"missing_prompt_file", "[prompts]\nfile = \"nothere.jsonl\"\n[[scenario]]\nrequests = 2\n",
                      {"suite.toml:7", "prompts.file", "nothere.jsonl"}},
        MalformedCase{"prompt_file_is_a_directory",
                      "[prompts]\nfile = \"dir.jsonl\"\n[[scenario]]\nrequests = 2\n",
                      {"suite.toml:7", "prompts.file"}, "dir.jsonl/placeholder", ""},
        MalformedCase{"malformed_jsonl", "[prompts]\nfile = \"bad.jsonl\"\n[[scenario]]\nrequests = 2\n",
                      {"bad.jsonl:2", "JSON"}, "bad.jsonl", "{\"prompt\": \"hi\"}\n{\"prompt\": \n"},
        MalformedCase{"jsonl_line_without_prompt",
                      "[prompts]\nfile = \"shape.jsonl\"\n[[scenario]]\nrequests = 2\n",
                      {"shape.jsonl:3", "prompt"}, "shape.jsonl",
                      "{\"prompt\": \"hi\"}\n{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}\n{\"text\": 1}\n"},
        MalformedCase{"jsonl_bad_role",
                      "[prompts]\nfile = \"role.jsonl\"\n[[scenario]]\nrequests = 2\n",
                      {"role.jsonl:1", "role"}, "role.jsonl",
                      "{\"messages\": [{\"role\": 7, \"content\": \"x\"}]}\n"},
        MalformedCase{"empty_jsonl", "[prompts]\nfile = \"empty.jsonl\"\n[[scenario]]\nrequests = 2\n",
                      {"empty.jsonl"}, "empty.jsonl", ""}),
    [](const ::testing::TestParamInfo<MalformedCase>& p) { return p.param.name; });

// The control: the same template, well-formed, runs and writes a report.
TEST_F(CliTest, WellFormedScenarioFileRuns) {
  write_text(path("prompts.jsonl"),
             "{\"prompt\": \"hello\"}\n{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");
  write_text(path("suite.toml"), std::string(kFastMock) +
                                     "[prompts]\nfile = \"prompts.jsonl\"\n[[scenario]]\nname = \"ok\"\n"
                                     "mode = \"threaded\"\nconcurrency = 2\nrequests = 4\n");
  const fs::path out = path("out");
  const ProcessResult r = llmbench({"run", path("suite.toml").string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.all();
  ASSERT_TRUE(fs::exists(out / "report.json")) << r.all();
  EXPECT_EQ(count_field(parse_json_file(out / "report.json"), "ok"), 4);
}

TEST_F(CliTest, MissingScenarioFileExitsTwoNamingIt) {
  const fs::path out = path("out");
  const ProcessResult r = llmbench({"run", path("nothere.toml").string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "nothere.toml")) << r.err;
  EXPECT_TRUE(files_under(out).empty());
}

TEST_F(CliTest, BadSecondFileMeansNoRunOfTheFirst) {
  write_text(path("good.toml"), std::string(kFastMock) + "[[scenario]]\nrequests = 2\n");
  write_text(path("bad.toml"), std::string(kFastMock) + "[[scenario]]\nrequests = 0\n");
  const fs::path out = path("out");
  const ProcessResult r =
      llmbench({"run", path("good.toml").string(), path("bad.toml").string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.all();
  EXPECT_TRUE(contains(r.err, "bad.toml:7")) << r.err;
  EXPECT_TRUE(files_under(out).empty()) << "the good file must not have run";
}

TEST_F(CliTest, BadSetOverrideExitsTwoNamingIt) {
  write_text(path("good.toml"), std::string(kFastMock) + "[[scenario]]\nrequests = 2\n");
  const fs::path out = path("out");
  for (const char* set : {"scenario.requests=0", "scenario.bogus=1", "noequals"}) {
    const ProcessResult r = llmbench({"run", path("good.toml").string(), "--set", set, "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << set << ": " << r.all();
    EXPECT_TRUE(contains(r.err, "--set")) << set << ": " << r.err;
    EXPECT_TRUE(files_under(out).empty()) << set;
  }
}

// The embedded mock's keys are read by the command layer with the mock's schema, still before
// anything runs, and errors name file:line and the full key (once "suite.toml:3: speed").
TEST_F(CliTest, EmbeddedMockErrorsNameFileLineAndFullKey) {
  const fs::path out = path("out");
  const struct {
    std::string toml;
    std::vector<std::string> flags;
    std::string expected;
  } cases[] = {
      {"[target.mock]\nttft = \"5ms\"\nspeed = 3\n", {}, "suite.toml:3: target.mock.speed: unknown key"},
      {"[target.mock]\nttft = \"soon\"\n", {}, "suite.toml:2: target.mock.ttft: "},
      {"[target]\nengine = \"nginx\"\n", {}, "suite.toml:2: target.engine: unknown engine 'nginx'"},
      {"[target.mock]\nload_slowdown = 2.0\n", {}, "target.mock.load_slowdown: needs decode_slots >= 2"},
      {"", {"--set", "target.mock.decode_slots=-1"}, "--set target.mock.decode_slots: target.mock.decode_slots:"},
      {"", {"--mock-ttft", "fast"}, "--mock-ttft: target.mock.ttft: "},
  };
  for (const auto& c : cases) {
    write_text(path("suite.toml"), c.toml + "[[scenario]]\nrequests = 2\n");
    std::vector<std::string> args = {"run", path("suite.toml").string(), "--out", out.string()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    const ProcessResult r = llmbench(args);
    EXPECT_EQ(r.exit_code, 2) << c.expected << ": " << r.all();
    EXPECT_TRUE(contains(r.err, c.expected)) << "stderr should contain '" << c.expected << "':\n" << r.err;
    EXPECT_TRUE(files_under(out).empty()) << c.expected;
  }
}

}  // namespace
}  // namespace llmbench::clitest
