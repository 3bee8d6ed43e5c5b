// Reading suites from files, --set and the ad-hoc flags: shared by `llmbench run` and `llmbench dataset`.
#include "cli/suite_flags.h"

#include <fmt/format.h>

#include "common/input_error.h"
#include "mock_provider/mock_config_file.h"

namespace llmbench::cli {
namespace {

// The ad-hoc first form's suite: one scenario against the embedded mock (or --target).
constexpr const char* kAdHocSuite = R"(
[suite]
name = "adhoc"

[[scenario]]
name = "adhoc"
mode = "coroutine"
operation = "invoke"
)";

// The embedded mock's keys `run` has flags for: --mock- and the mock's own flag (--mock-ttft).
constexpr std::string_view kMockRunKeys[] = {"ttft", "itl", "output_tokens", "faults"};
std::string mock_run_flag(const config::Field<mock::MockConfig>& field) { return "--mock-" + std::string(field.flag.substr(2)); }

void add(std::vector<scenario::Override>& out, const std::optional<std::string>& value,
         const std::string& key, const std::string& flag, bool quote = false) {
  if (!value) return;
  out.push_back({key, *value, flag, quote});
}

std::vector<scenario::Override> flag_overrides(const SuiteFlags& f, bool adhoc) {
  std::vector<scenario::Override> o;
  const auto flags_of = [&](const auto& schema, const std::string& prefix) {
    for (const auto& field : schema.fields) {
      if (field.flag.empty()) continue;
      const std::string key = prefix + std::string(field.key);
      add(o, f.keys.find(key)->second, key, std::string(field.flag), field.flag_form != config::FlagForm::value);
    }
  };
  flags_of(load::scenario_schema(), "scenario.");
  flags_of(load::target_schema(), "target.");
  for (const std::string_view key : kMockRunKeys) {
    const auto& field = *mock::mock_schema().find(key);
    const std::string flag = mock_run_flag(field), full = "target.mock." + std::string(key);
    for (const std::string& value : f.mock.find(key)->second) {
      if (field.flag_form != config::FlagForm::pairs) {
        o.push_back({full, value, flag, field.flag_form == config::FlagForm::text});
        continue;
      }
      const auto eq = value.find('=');  // KIND=RATE: the key faults.KIND
      if (eq == std::string::npos || eq == 0) throw InputError(flag, "", fmt::format("'{}' is not KEY=VALUE", value));
      o.push_back({full + "." + value.substr(0, eq), value.substr(eq + 1), flag, false});
    }
  }
  // Ad hoc: a request count unless the run is bounded by duration alone.
  if (adhoc && !f.keys.at("scenario.requests") && !f.keys.at("scenario.duration")) o.push_back({"scenario.requests", "100", "--requests", false});
  for (const std::string& s : f.sets) o.push_back(scenario::parse_override(s));
  return o;
}

}  // namespace

void add_set_option(CLI::App& app, SuiteFlags& flags) {
  app.add_option("--set", flags.sets,
                 "Override a scenario-file key, e.g. scenario.concurrency=8 or "
                 "target.mock.ttft=20ms (repeatable)");
}

void add_adhoc_flags(CLI::App& app, SuiteFlags& flags, const std::string& group, const std::string& group_doc) {
  auto* adhoc = app.add_option_group(group, group_doc);
  // One flag per [[scenario]] and [target] key that declares one (harness/load/suite_spec.cc).
  const auto add_flags = [&](const auto& schema, const std::string& prefix) {
    for (const auto& field : schema.fields) {
      if (field.flag.empty()) continue;
      adhoc->add_option(std::string(field.flag), flags.keys[prefix + std::string(field.key)],
                        fmt::format("{} ({}{}: {})", field.doc, prefix, field.key, field.type))
          ->type_name(std::string(field.value_name));
    }
  };
  add_flags(load::scenario_schema(), "scenario.");
  add_flags(load::target_schema(), "target.");
  for (const std::string_view key : kMockRunKeys) {
    const auto& field = *mock::mock_schema().find(key);
    adhoc->add_option(mock_run_flag(field), flags.mock[std::string(key)],
                      fmt::format("Embedded mock: {} (target.mock.{})", field.doc, key))
        ->type_name(std::string(field.value_name))
        ->expected(1)
        ->multi_option_policy(config::repeatable(field.flag_form) ? CLI::MultiOptionPolicy::TakeAll
                                                                  : CLI::MultiOptionPolicy::TakeLast);
  }
}

std::vector<load::SuiteSpec> load_suites(const SuiteFlags& f) {
  const bool adhoc = f.files.empty();
  const std::vector<scenario::Override> overrides = flag_overrides(f, adhoc);
  std::vector<load::SuiteSpec> suites;
  if (adhoc) {
    load::SuiteSpec suite = scenario::parse_suite(kAdHocSuite, "command line", overrides);
    suite.source = "command line";
    suites.push_back(std::move(suite));
  } else {
    for (const std::string& file : f.files) suites.push_back(scenario::load_suite_file(file, overrides));
  }
  return suites;
}

}  // namespace llmbench::cli
