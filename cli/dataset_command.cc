// llmbench dataset: what a prompt source produces, without sending anything (docs/cli.md).
#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_registry.h"
#include "cli/embedded_mock.h"
#include "cli/suite_flags.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "harness/load/prompt_summary.h"
#include "harness/load/suite_prompts.h"

namespace llmbench::cli {
namespace {

namespace json = boost::json;

// Generators (synthetic prompts) have no end: this many requests unless --count says otherwise.
constexpr std::uint64_t kGeneratorCount = 500;
constexpr int kSchemaVersion = 1;

struct DatasetFlags {
  SuiteFlags suite;
  std::string file;
  std::string scenario;
  std::string format = "text";
  std::string out;
  std::optional<std::uint64_t> count;
  std::size_t head = 3;
};

// Everything printed, in one place for both formats.
struct View {
  const load::SuiteSpec& suite;
  const load::ScenarioSpec& scenario;
  std::string description;
  json::object settings;
  std::optional<std::uint64_t> cycle_length;
  bool prefixes_configured = false;
  load::PromptSummary summary;
};

std::string token_counts(const load::SuiteSpec& suite) {
  return suite.prompts.tokenizer ? "exact" : "estimated";
}

std::string one_line(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

json::object stats_json(const load::LengthStats& s) {
  json::array bins;
  for (const auto& b : s.histogram) bins.push_back(json::object{{"lo", b.lo}, {"hi", b.hi}, {"count", b.count}});
  return json::object{{"count", s.count}, {"min", s.min}, {"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99},
                      {"max", s.max},     {"mean", s.mean}, {"histogram", std::move(bins)}};
}

std::string render_json(const View& v) {
  const load::PromptSummary& s = v.summary;
  const load::SharedPrefixStats& p = s.prefixes;
  json::array head;
  for (const auto& sample : s.head) {
    json::array messages;
    for (std::size_t i = 0; i < sample.messages.size(); ++i) {
      messages.push_back(json::object{{"role", sample.messages[i].role},
                                      {"content", sample.messages[i].content},
                                      {"bytes", sample.message_bytes[i]}});
    }
    head.push_back(json::object{{"index", sample.index},
                                {"prompt_tokens", sample.prompt_tokens},
                                {"max_tokens", sample.max_tokens},
                                {"messages", std::move(messages)}});
  }
  json::object out{
      {"schema", "llmbench-dataset"},
      {"schema_version", kSchemaVersion},
      {"suite", v.suite.name},
      {"file", v.suite.source},
      {"scenario", v.scenario.name},
      {"source", json::object{{"description", v.description}, {"settings", v.settings}}},
      {"requests", s.requests},
      {"cycle_length", v.cycle_length ? json::value(*v.cycle_length) : json::value(nullptr)},
      {"token_counts", token_counts(v.suite)},
      {"tokenizer", v.suite.prompts.tokenizer ? json::value(v.suite.prompts.tokenizer->description()) : json::value(nullptr)},
      {"prompt_tokens", stats_json(s.prompt_tokens)},
      {"output_tokens", s.output_tokens.count > 0 ? json::value(stats_json(s.output_tokens)) : json::value(nullptr)},
      {"shared_prefixes",
       json::object{{"configured", v.prefixes_configured},
                    {"block_words", p.block_words},
                    {"requests_sharing", p.requests_sharing},
                    {"distinct_prefixes", p.distinct_prefixes},
                    {"min_requests_per_prefix", p.min_requests_per_prefix},
                    {"max_requests_per_prefix", p.max_requests_per_prefix},
                    {"shared_words", p.shared_words},
                    {"total_words", p.total_words},
                    {"shared_prefix_words", stats_json(p.shared_prefix_words)}}},
      {"head", std::move(head)}};
  return json::serialize(out) + "\n";
}

void append_stats(std::string& out, const std::string& title, const load::LengthStats& s) {
  out += fmt::format("{}: n {}  min {}  p50 {}  p90 {}  p99 {}  max {}  mean {:.1f}\n", title, s.count, s.min, s.p50,
                     s.p90, s.p99, s.max, s.mean);
  std::uint64_t most = 1;
  for (const auto& b : s.histogram) most = std::max(most, b.count);
  for (const auto& b : s.histogram) {
    const std::string range = b.lo == b.hi ? fmt::format("{}", b.lo) : fmt::format("{}-{}", b.lo, b.hi);
    out += fmt::format("  {:>15}  {:<40} {}\n", range, std::string(static_cast<std::size_t>(40 * b.count / most), '#'),
                       b.count);
  }
}

std::string render_text(const View& v) {
  const load::PromptSummary& s = v.summary;
  std::string out;
  out += fmt::format("suite     {} ({})\n", v.suite.name, v.suite.source);
  out += fmt::format("scenario  {}{}\n", v.scenario.name,
                     v.suite.scenarios.size() > 1 ? " (its request fields apply; --scenario NAME for another)" : "");
  out += fmt::format("source    {}\n", v.description);
  std::string settings;
  for (const auto& [key, value] : v.settings) {
    settings += fmt::format("{}{} = {}", settings.empty() ? "" : ", ", std::string_view(key),
                            value.is_double() ? fmt::format("{:g}", value.as_double()) : json::serialize(value));
  }
  out += fmt::format("settings  {}\n", settings);
  out += fmt::format("requests  {} ({})\n", s.requests,
                     v.cycle_length ? fmt::format("the source cycles through {} prompts", *v.cycle_length)
                                    : std::string("a generator: --count N for more or fewer"));
  out += v.suite.prompts.tokenizer
             ? fmt::format("tokens    exact, counted by {}\n", v.suite.prompts.tokenizer->description())
             : std::string("tokens    estimated (about one token a word; set prompts.tokenizer for exact counts)\n");
  out += '\n';
  append_stats(out, fmt::format("prompt tokens ({})", token_counts(v.suite)), s.prompt_tokens);
  out += '\n';
  if (s.output_tokens.count == 0) {
    out += "requested output tokens: not set (no max_tokens: the server's default)\n";
  } else {
    append_stats(out, s.output_tokens.count == s.requests
                          ? std::string("requested output tokens (max_tokens)")
                          : fmt::format("requested output tokens (max_tokens; set on {} of {} requests)",
                                        s.output_tokens.count, s.requests),
                 s.output_tokens);
  }
  const load::SharedPrefixStats& p = s.prefixes;
  if (v.prefixes_configured || p.requests_sharing > 0) {
    out += '\n';
    out += fmt::format(
        "shared prefixes (blocks of {} words): {} of {} requests open with text an earlier request sent; {} "
        "distinct shared prefixes ({}-{} requests each); {:.1f}% of all words in shared prefixes\n",
        p.block_words, p.requests_sharing, s.requests, p.distinct_prefixes, p.min_requests_per_prefix,
        p.max_requests_per_prefix, p.total_words == 0 ? 0.0 : 100.0 * static_cast<double>(p.shared_words) / static_cast<double>(p.total_words));
    if (p.shared_prefix_words.count > 0) append_stats(out, "shared prefix words per sharing request", p.shared_prefix_words);
  }
  if (!s.head.empty()) {
    out += fmt::format("\nfirst {} request{}:\n", s.head.size(), s.head.size() == 1 ? "" : "s");
    for (const auto& sample : s.head) {
      out += fmt::format("  [{}] {} prompt tokens, max_tokens {}\n", sample.index, sample.prompt_tokens,
                         sample.max_tokens == 0 ? std::string("not set") : std::to_string(sample.max_tokens));
      for (std::size_t i = 0; i < sample.messages.size(); ++i) {
        const auto& m = sample.messages[i];
        const bool cut = m.content.size() < sample.message_bytes[i];
        out += fmt::format("      {}: {}{}\n", m.role, one_line(m.content),
                           cut ? fmt::format(" ... ({} bytes)", sample.message_bytes[i]) : std::string());
      }
    }
  }
  return out;
}

const load::ScenarioSpec& pick_scenario(const load::SuiteSpec& suite, const std::string& name) {
  if (name.empty()) return suite.scenarios.at(0);
  std::string names;
  for (const auto& s : suite.scenarios) {
    if (s.name == name) return s;
    names += (names.empty() ? "" : ", ") + s.name;
  }
  throw InputError("--scenario", "", fmt::format("no scenario '{}' in {} (it has: {})", name, suite.source, names));
}

int run(DatasetFlags& f) {
  if (!f.file.empty()) f.suite.files = {f.file};
  // The suite exactly as `llmbench run` reads it: the same files, overrides, flags and errors.
  std::vector<load::SuiteSpec> suites = load_suites(f.suite);
  load::SuiteSpec& suite = suites.at(0);
  if (suite.target.embedded_mock) (void)read_embedded_mock(suite.target);  // its keys checked as a run checks them
  const load::ScenarioSpec& scenario = pick_scenario(suite, f.scenario);
  const load::PromptSourcePtr source = load::make_prompt_source(suite.prompts);

  load::PromptSummaryOptions options;
  options.count = f.count.value_or(source->cycle_length().value_or(kGeneratorCount));
  options.head = f.head;
  options.fields = scenario.request_fields;
  View view{suite, scenario, source->description(), {}, source->cycle_length(), false, {}};
  const json::object config = load::suite_config_json(suite);  // the settings as report.json echoes them
  if (const json::value* p = config.if_contains("prompts"); p != nullptr && p->is_object()) view.settings = p->as_object();
  view.prefixes_configured = suite.prompts.kind == load::PromptSpec::Kind::synthetic
                                 ? suite.prompts.synthetic.prefix_tokens > 0
                                 : suite.prompts.kind == load::PromptSpec::Kind::trace;
  view.summary = load::summarize_prompts(*source, options);

  const std::string text = f.format == "json" ? render_json(view) : render_text(view);
  if (f.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  try {
    write_file_atomically(f.out, text);
  } catch (const std::exception& e) {
    throw InputError("--out", f.out, e.what());
  }
  fmt::print(stderr, "llmbench dataset: wrote {}\n", f.out);
  return kExitOk;
}

CommandRunner setup(CLI::App& app) {
  auto flags = std::make_shared<DatasetFlags>();
  app.add_option("file", flags->file,
                 "Scenario file (TOML, docs/scenarios.md) whose [prompts] to show; none: the ad-hoc suite of the flags");
  app.add_option("--scenario", flags->scenario,
                 "The scenario whose request fields (max_tokens, ...) apply (default: the file's first)")
      ->type_name("NAME");
  app.add_option("--format", flags->format, "text or json (a schema-versioned object)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--out", flags->out, "Write the output to this file (atomically) instead of stdout")->type_name("FILE");
  app.add_option("--count", flags->count,
                 "Summarise the first N requests a run would send (default: every prompt of a file source, "
                 "500 of a generator)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}));
  app.add_option("--head", flags->head, "Show the first N requests (texts cut to 200 bytes)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000}))
      ->capture_default_str();
  add_set_option(app, flags->suite);
  add_adhoc_flags(app, flags->suite, "Scenario keys, as llmbench run takes them",
                  "Override the same keys of the scenario file, or describe the ad-hoc suite; checked as a run checks "
                  "them (--max-tokens sets the requested output length shown)");
  return [flags] { return run(*flags); };
}

LLMBENCH_REGISTER_COMMAND("dataset",
                          "Show what a scenario's prompt source produces (token-length histograms, first prompts) "
                          "without sending anything",
                          25, setup);

}  // namespace
}  // namespace llmbench::cli
