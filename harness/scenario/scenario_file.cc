#include "harness/scenario/scenario_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "common/config/invalid.h"
#include "common/config/schema.h"
#include "common/distribution.h"
#include "common/duration.h"
#include "common/input_error.h"
#include "common/tokenizer/tokenizer.h"
#include "harness/client/api_flavor.h"
#include "harness/client/request_fields.h"
#include "harness/load/driver.h"
#include "harness/load/exact_length_prompt.h"
#include "harness/metrics/threshold_expression.h"

namespace llmbench::scenario {

namespace {

using load::LoadModel;

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxConcurrency = 100'000;

using config::type_name;

// Validators elsewhere (load::check_driver_config) throw "field: problem"; splits that so the
// field can be located.
std::pair<std::string, std::string> split_field(const std::string& message) {
  const auto colon = message.find(": ");
  if (colon == std::string::npos) return {"", message};
  return {message.substr(0, colon), message.substr(colon + 2)};
}

// Reads typed values out of TOML nodes with common/config's readers; every failure names
// source:line (or the flag) and the key.
class Reader {
 public:
  explicit Reader(std::string source) : place_{std::move(source), ""} {}

  std::string where(const toml::node& node) const { return place_.where(node); }

  [[noreturn]] void fail(const toml::node& node, const std::string& key, const std::string& problem) const {
    throw InputError(where(node), key, problem);
  }

  template <typename F>
  auto checked(const toml::node& node, const std::string& key, F&& read) const {
    try {
      return read();
    } catch (const config::Invalid& e) {
      fail(node, key, e.problem());
    } catch (const std::invalid_argument& e) {
      fail(node, key, e.what());
    }
  }

  std::string string(const toml::node& node, const std::string& key) const {
    return checked(node, key, [&] { return config::read_string(node); });
  }
  std::int64_t integer(const toml::node& node, const std::string& key, std::int64_t min,
                       std::int64_t max = kMaxCount) const {
    return checked(node, key, [&] { return config::read_integer(node, min, max); });
  }
  double positive_number(const toml::node& node, const std::string& key) const {
    const double v = checked(node, key, [&] { return config::read_number(node, 0); });
    if (!(v > 0)) fail(node, key, "must be a positive number");
    return v;
  }
  double number(const toml::node& node, const std::string& key) const {
    return checked(node, key, [&] { return config::read_number(node, -std::numeric_limits<double>::max()); });
  }
  bool boolean(const toml::node& node, const std::string& key) const {
    return checked(node, key, [&] { return config::read_bool(node); });
  }
  std::chrono::nanoseconds duration(const toml::node& node, const std::string& key) const {
    return checked(node, key, [&] { return config::read_duration(node, false); });
  }

  const toml::table& table(const toml::node& node, const std::string& key) const {
    if (const auto* t = node.as_table()) return *t;
    fail(node, key, "expected a table, got " + type_name(node));
  }

  template <typename T>
  T choice(const toml::node& node, const std::string& key,
           const std::vector<std::pair<std::string_view, T>>& options) const {
    const std::string value = string(node, key);
    std::string names;
    for (const auto& [name, v] : options) {
      if (name == value) return v;
      names += (names.empty() ? "" : ", ") + fmt::format("\"{}\"", name);
    }
    fail(node, key, fmt::format("\"{}\" is not one of {}", value, names));
  }

  const std::string& source() const { return place_.source; }

 private:
  config::Place place_;
};


// ---- --set overrides -------------------------------------------------------------------

void set_path(toml::table& table, const std::vector<std::string>& path, std::size_t at, const Override& o) {
  const std::string& key = path[at];
  if (at + 1 == path.size()) {
    // Read afresh for each place it goes, as a flag's value is (common/config): a copied node
    // forgets its source, and errors must name the flag.
    config::put_flag_value(table, key, o.origin.empty() ? "--set " + o.key : o.origin,
                           o.as_string ? config::FlagForm::text : config::FlagForm::value, {o.value});
    return;
  }
  toml::node* child = table.get(key);
  if (child == nullptr) {
    table.insert_or_assign(key, toml::table{});
    child = table.get(key);
  }
  if (auto* array = child->as_array()) {  // [[scenario]]: every element
    for (auto& element : *array) {
      if (auto* t = element.as_table()) set_path(*t, path, at + 1, o);
    }
    return;
  }
  auto* sub = child->as_table();
  if (sub == nullptr) {
    throw InputError(o.origin.empty() ? "--set " + o.key : o.origin, "", "'" + key + "' is not a table");
  }
  set_path(*sub, path, at + 1, o);
}

void apply_override(toml::table& root, const Override& o) {
  std::vector<std::string> path;
  std::stringstream parts(o.key);
  for (std::string part; std::getline(parts, part, '.');) {
    if (part.empty()) throw InputError("--set " + o.key, "", "empty key component");
    path.push_back(part);
  }
  if (path.empty()) throw InputError("--set", "", "empty key");
  set_path(root, path, 0, o);
}

// ---- target and prompts ------------------------------------------------------------------

void read_target(const Reader& r, const toml::table* table, const std::filesystem::path& base_dir,
                 load::TargetSpec& target) {
  target.endpoint.model = "mock-model";
  if (table == nullptr) return;
  const config::Place place{r.source(), "target."};
  config::only_declared_keys(load::target_schema(), *table, place);
  for (auto&& [key, node] : *table) config::read_field(*load::target_schema().find(key.str()), node, place, target);
  if (const auto* n = table->get("url")) target.endpoint.base_url = r.string(*n, "target.url");
  const bool has_url = table->contains("url");
  target.embedded_mock = !has_url;
  if (const auto* n = table->get("kind")) {
    target.embedded_mock = r.choice<bool>(*n, "target.kind", {{"mock", true}, {"url", false}});
    if (target.embedded_mock && has_url)
      r.fail(*n, "target.url", "a mock target has no url (use kind = \"url\")");
    if (!target.embedded_mock && !has_url)
      r.fail(*n, "target.url", "missing: a url target needs url = \"http://...\"");
  }
  if (!target.embedded_mock) {
    const auto& url_node = *table->get("url");
    const std::string& url = target.endpoint.base_url;
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      r.fail(url_node, "target.url", "must start with http:// or https://");
    }
    // llmbench appends the endpoint path itself: a full endpoint URL would 404 on every request.
    if (const auto base = harness::base_url_without_endpoint_path(url)) {
      const bool from_flag = r.where(url_node).rfind("--", 0) == 0;
      r.fail(url_node, "target.url",
             fmt::format(
                 "'{}' already ends in an endpoint path, which llmbench appends itself; did you mean {}?",
                 url, from_flag ? "--target " + *base : "url = \"" + *base + "\""));
    }
    if (const auto* m = table->get("mock"))
      r.fail(*m, "target.mock", "only a mock target has a mock profile");
    if (!table->contains("model"))
      r.fail(*table, "target.model", "missing: a url target needs the model name");
  }
  if (const auto* n = table->get("metrics_url")) {
    const std::string& u = target.metrics_url;
    if (u != "off" && u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) {
      r.fail(*n, "target.metrics_url", "must start with http:// or https://, or be \"off\"");
    }
  }
  if (const auto* n = table->get("ca_file")) {
    if (target.embedded_mock) r.fail(*n, "target.ca_file", "only a url target has certificates");
    std::filesystem::path file = r.string(*n, "target.ca_file");
    if (file.is_relative() && !base_dir.empty()) file = base_dir / file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      r.fail(*n, "target.ca_file", "cannot read '" + file.string() + "'");
    }
    target.endpoint.ca_file = file.string();
  }
  // `engine` and [target.mock] are the embedded mock's: the command layer reads them with the
  // mock's schema (target.table); here only their place is checked.
  if (const auto* n = table->get("engine")) r.string(*n, "target.engine");
  if (const auto* n = table->get("mock")) r.table(*n, "target.mock");
}

void read_prompts(const Reader& r, const toml::table* table, const std::filesystem::path& base_dir,
                  load::PromptSpec& prompts) {
  if (table == nullptr) return;
  const config::Place place{r.source(), "prompts."};
  config::only_declared_keys(load::prompts_schema(), *table, place);
  for (auto&& [key, node] : *table) config::read_field(*load::prompts_schema().find(key.str()), node, place, prompts);
  const bool has_file = table->contains("file");
  prompts.kind = has_file ? load::PromptSpec::Kind::jsonl : load::PromptSpec::Kind::synthetic;
  if (const auto* n = table->get("source")) {
    prompts.kind = r.choice<load::PromptSpec::Kind>(*n, "prompts.source",
                                                    {{"synthetic", load::PromptSpec::Kind::synthetic},
                                                     {"jsonl", load::PromptSpec::Kind::jsonl},
                                                     {"sharegpt", load::PromptSpec::Kind::sharegpt},
                                                     {"trace", load::PromptSpec::Kind::trace}});
    if (prompts.kind != load::PromptSpec::Kind::synthetic && !has_file)
      r.fail(*n, "prompts.file", "missing: " + r.string(*n, "prompts.source") + " needs a file");
  }
  if (const auto* n = table->get("file")) {
    if (prompts.kind == load::PromptSpec::Kind::synthetic)
      r.fail(*n, "prompts.file", "only a jsonl, sharegpt or trace source reads a file");
    std::filesystem::path file = r.string(*n, "prompts.file");
    if (file.is_relative() && !base_dir.empty()) file = base_dir / file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      r.fail(*n, "prompts.file", "cannot read '" + file.string() + "'");
    }
    prompts.file = file;
  }
  if (const auto* n = table->get("tokenizer")) {
    std::filesystem::path file = r.string(*n, "prompts.tokenizer");
    if (file.is_relative() && !base_dir.empty()) file = base_dir / file;
    try {
      prompts.tokenizer = tokenizer::load_tokenizer(file);
      // A tokenizer synthetic prompts cannot be made from fails here, not when the run starts.
      if (prompts.kind == load::PromptSpec::Kind::synthetic) load::ExactLengthPrompts check(prompts.tokenizer);
    } catch (const InputError& e) {
      r.fail(*n, "prompts.tokenizer", e.what());
    } catch (const std::invalid_argument& e) {
      r.fail(*n, "prompts.tokenizer", e.what());
    }
    prompts.tokenizer_file = file;
  }
  if (const auto* n = table->get("prefix_share"); n != nullptr && prompts.synthetic.prefix_share > 1)
    r.fail(*n, "prompts.prefix_share", "is a share of requests: at most 1");
  for (const char* key : {"prefix_tokens", "prefixes", "prefix_share"}) {
    if (const auto* n = table->get(key); n != nullptr && prompts.kind != load::PromptSpec::Kind::synthetic)
      r.fail(*n, std::string("prompts.") + key, "only synthetic prompts have shared prefixes");
  }
  // The dataset keys mean nothing to other sources: an error rather than silently unused.
  for (const char* key : {"sample", "replacement", "min_prompt_tokens", "max_prompt_tokens", "max_output_tokens"}) {
    if (const auto* n = table->get(key); n != nullptr && prompts.kind != load::PromptSpec::Kind::sharegpt &&
                                         prompts.kind != load::PromptSpec::Kind::jsonl)
      r.fail(*n, std::string("prompts.") + key, "only a sharegpt or jsonl source samples or filters its records");
  }
  if (const auto* n = table->get("sample")) prompts.selection.sample = static_cast<std::uint64_t>(r.integer(*n, "prompts.sample", 1));
  if (prompts.kind == load::PromptSpec::Kind::trace) {
    try {
      prompts.trace = load::read_trace(prompts.file);
      if (prompts.tokenizer) load::ExactLengthPrompts check(prompts.tokenizer);
    } catch (const InputError& e) {
      r.fail(*table->get("file"), "prompts.file", e.what());
    }
  }
  if (prompts.kind == load::PromptSpec::Kind::jsonl) prompts.selection.seed = prompts.synthetic.seed;  // read by the runner
  if (prompts.kind == load::PromptSpec::Kind::sharegpt) {
    prompts.selection.seed = prompts.synthetic.seed;
    try {
      prompts.dataset = std::make_shared<const std::vector<load::DatasetEntry>>(
          load::read_sharegpt(prompts.file, prompts.tokenizer, prompts.selection, &prompts.dataset_summary));
    } catch (const InputError& e) {
      r.fail(*table->get("file"), "prompts.file", e.what());
    }
  }
  // distribution = "normal(128,20)", the one syntax of every random quantity (common/distribution.h);
  // a bare name ("normal") takes mean and stddev, or min and max for uniform, as before.
  auto& d = prompts.synthetic.prompt_tokens;
  const toml::node* spec = table->get("distribution");
  const bool full_spec = spec != nullptr && spec->is_string() && !spec->value_or(std::string()).empty() &&
                         (spec->value_or(std::string()).find('(') != std::string::npos ||
                          std::isdigit(static_cast<unsigned char>(spec->value_or(std::string())[0])));
  if (spec != nullptr) {
    try {
      const std::string text = r.string(*spec, "prompts.distribution");
      d.shape = full_spec ? parse_count_distribution(text) : Distribution{distribution_kind_from_name(text), 128, 0};
    } catch (const std::invalid_argument& e) {
      r.fail(*spec, "prompts.distribution", e.what());
    }
  }
  for (const char* key : {"mean", "stddev"}) {
    if (const auto* n = table->get(key); n != nullptr && full_spec)
      r.fail(*n, std::string("prompts.") + key, "the distribution already gives its parameters");
  }
  if (const auto* n = table->get("mean")) d.shape.a = r.positive_number(*n, "prompts.mean");
  if (const auto* n = table->get("stddev")) d.shape.b = r.number(*n, "prompts.stddev");
  if (d.shape.kind == Distribution::Kind::uniform && !full_spec) d.shape = {d.shape.kind, double(d.min), double(d.max)};
  try {
    load::validate_length_distribution(d);
  } catch (const config::Invalid& e) {
    const toml::node* at = table->get(e.key());
    r.fail(at != nullptr ? *at : *table, "prompts." + e.key(), e.problem());
  }
}

// ---- scenarios -----------------------------------------------------------------------------

// A scenario's keys over [defaults]: lookups see the scenario's own node first, so errors
// point at the line the value came from. Copying nodes would lose their source lines.
struct Layered {
  const toml::table& own;
  const toml::table* defaults;

  const toml::node* get(std::string_view key) const {
    if (const auto* n = own.get(key)) return n;
    return defaults != nullptr ? defaults->get(key) : nullptr;
  }
  // Sub-tables such as slo and headers merge key by key: defaults first, then the scenario's.
  template <typename F>
  void for_each_in(std::string_view key, const Reader& r, const std::string& name, F&& f) const {
    for (const toml::table* layer : {defaults, &own}) {
      if (layer == nullptr) continue;
      if (const auto* n = layer->get(key)) {
        for (auto&& [k, v] : r.table(*n, name)) f(std::string(k.str()), v);
      }
    }
  }
};

// search = { parameter, min, max, attainment, precision, max_probes }: checked against the
// rest of the scenario here, so a search that cannot run fails before anything runs.
void read_search(const Reader& r, const toml::node& node, const std::string& p, load::ScenarioSpec& s) {
  load::SearchSpec& search = s.search;
  search.enabled = true;
  search.parameter = s.plan.model == LoadModel::open_loop ? "rate" : "concurrency";
  const std::string name = p + "search";
  const toml::node* max_node = nullptr;
  for (auto&& [k, v] : r.table(node, name)) {
    const std::string key(k.str());
    if (key == "parameter") {
      search.parameter = r.string(v, name + ".parameter");
      if (search.parameter != "concurrency" && search.parameter != "rate")
        r.fail(v, name + ".parameter", "must be \"concurrency\" or \"rate\"");
    } else if (key == "min") {
      search.min = r.positive_number(v, name + ".min");
    } else if (key == "max") {
      search.max = r.positive_number(v, name + ".max");
      max_node = &v;
    } else if (key == "attainment") {
      search.attainment = r.positive_number(v, name + ".attainment");
      if (search.attainment > 1) r.fail(v, name + ".attainment", "is a share of requests: at most 1");
    } else if (key == "precision") {
      search.precision = r.positive_number(v, name + ".precision");
    } else if (key == "max_probes") {
      search.max_probes = static_cast<std::uint32_t>(r.integer(v, name + ".max_probes", 2, 100));
    } else {
      r.fail(v, name + "." + key,
             "unknown key (expected one of: attainment, max, max_probes, min, parameter, precision)");
    }
  }
  if (!s.slo.any()) r.fail(node, name, "needs an slo to meet: slo = { ttft_ms = ..., tpot_ms = ..., e2e_ms = ... }");
  if (!s.sweep_parameter.empty()) r.fail(node, name, "searches its own " + s.sweep_parameter + " values: give one value, not a list");
  if (search.parameter == "rate" && s.plan.model != LoadModel::open_loop)
    r.fail(node, name, "a rate search needs an open loop (load = \"open\", rate = the first value to try)");
  if (search.parameter == "concurrency" && s.plan.model != LoadModel::closed_loop)
    r.fail(node, name, "a concurrency search needs a closed loop (an open loop's concurrency is only a cap)");
  if (search.parameter == "rate" && search.max <= 0) r.fail(node, name + ".max", "missing: a rate search needs its ceiling");
  if (search.parameter == "concurrency") {
    if (search.min != std::floor(search.min)) r.fail(node, name + ".min", "must be a whole number of users");
    if (search.max <= 0) search.max = 1024;
    if (search.max != std::floor(search.max) || search.max > kMaxConcurrency)
      r.fail(max_node != nullptr ? *max_node : node, name + ".max", "must be a whole number of users up to 100000");
  }
  if (search.max < search.min) r.fail(max_node != nullptr ? *max_node : node, name + ".max", "is below min");
  if (s.repetitions > 1) r.fail(node, name, "runs each probe once: repetitions must be 1");
  s.sweep_parameter = search.parameter;
  s.sweep_values = {search.min, search.max};  // checked below like sweep values; replaced while running
}

// A TOML value as the JSON it stands for in a request body (extra_body). Dates and times have
// no JSON form: refused, naming the key.
boost::json::value toml_to_json(const Reader& r, const toml::node& node, const std::string& key) {
  if (const auto* table = node.as_table()) {
    boost::json::object o;
    for (auto&& [k, v] : *table) o[k.str()] = toml_to_json(r, v, key + "." + std::string(k.str()));
    return o;
  }
  if (const auto* array = node.as_array()) {
    boost::json::array a;
    for (std::size_t i = 0; i < array->size(); ++i)
      a.push_back(toml_to_json(r, *array->get(i), fmt::format("{}[{}]", key, i)));
    return a;
  }
  if (const auto* s = node.as_string()) return boost::json::value(s->get());
  if (const auto* i = node.as_integer()) return boost::json::value(i->get());
  if (const auto* f = node.as_floating_point()) return boost::json::value(f->get());
  if (const auto* b = node.as_boolean()) return boost::json::value(b->get());
  r.fail(node, key, type_name(node) + " has no JSON form (use a string)");
}

// The sweep values of an array key ("concurrency" or "rate").
std::vector<double> sweep_values(const Reader& r, const toml::array& array, const std::string& key,
                                 bool whole_numbers) {
  if (array.empty()) r.fail(array, key, "a sweep needs at least one value");
  std::vector<double> values;
  for (const auto& element : array) {
    if (whole_numbers) {
      values.push_back(static_cast<double>(r.integer(element, key, 1, kMaxConcurrency)));
    } else {
      values.push_back(r.positive_number(element, key));
    }
  }
  return values;
}

load::ScenarioSpec read_scenario(const Reader& r, const Layered& t, std::size_t index, const load::PromptSpec& prompts,
                                 const std::string& fallback_where) {
  const toml::table& own = t.own;
  load::ScenarioSpec s;
  s.name = fmt::format("scenario-{}", index + 1);
  const std::string p = "scenario.";  // key prefix in messages
  config::only_declared_keys(load::scenario_schema(), own, config::Place{r.source(), p});
  // The declared keys with a meaning of their own, each from the scenario or else [defaults].
  const config::Place place{r.source(), p};
  for (const auto& field : load::scenario_schema().fields) {
    if (const auto* n = t.get(field.key); n != nullptr && field.read) config::read_field(field, *n, place, s);
  }
  if (const auto* n = t.get("name")) {
    if (own.get("name") == nullptr) r.fail(*n, "defaults.name", "each scenario names itself");
    s.name = r.string(*n, p + "name");
    if (s.name.empty()) r.fail(*n, p + "name", "must not be empty");
  }
  load::LoadPlan& plan = s.plan;
  const toml::node* rate = t.get("rate");
  const toml::node* concurrency = t.get("concurrency");
  const bool trace = plan.arrival == load::ArrivalKind::trace;
  plan.model = rate != nullptr || trace ? LoadModel::open_loop : LoadModel::closed_loop;
  if (const auto* n = t.get("load")) {
    plan.model = r.choice<LoadModel>(*n, p + "load",
                                     {{"closed", LoadModel::closed_loop}, {"open", LoadModel::open_loop}});
    if (plan.model == LoadModel::closed_loop && rate != nullptr) {
      r.fail(*rate, p + "rate",
             "a closed loop has no rate (its users send as fast as answers come); use load = \"open\"");
    }
    if (plan.model == LoadModel::open_loop && rate == nullptr)
      r.fail(*n, p + "rate", "missing: an open loop needs a rate");
  }
  if (rate != nullptr && concurrency != nullptr && rate->is_array() && concurrency->is_array()) {
    r.fail(*rate, p + "rate", "sweep one parameter at a time (concurrency is a list too)");
  }
  // Open loop: concurrency is the cap, 0 (the default) meaning none.
  plan.concurrency = plan.model == LoadModel::open_loop ? 0 : 1;
  if (concurrency != nullptr) {
    if (const auto* array = concurrency->as_array()) {
      s.sweep_parameter = "concurrency";
      s.sweep_values = sweep_values(r, *array, p + "concurrency", true);
      plan.concurrency = static_cast<std::uint32_t>(s.sweep_values.front());
    } else {
      plan.concurrency = static_cast<std::uint32_t>(r.integer(
          *concurrency, p + "concurrency", plan.model == LoadModel::open_loop ? 0 : 1, kMaxConcurrency));
    }
  }
  if (rate != nullptr) {
    if (const auto* array = rate->as_array()) {
      s.sweep_parameter = "rate";
      s.sweep_values = sweep_values(r, *array, p + "rate", false);
      plan.rate = s.sweep_values.front();
    } else {
      plan.rate = r.positive_number(*rate, p + "rate");
    }
  }
  if (const auto* n = t.get("arrival"); n != nullptr && plan.model != LoadModel::open_loop) {
    r.fail(*n, p + "arrival", "only an open loop has arrivals (set a rate)");
  }
  if (trace) {
    // The trace is the arrival schedule: its timestamps, its mean rate, its length.
    const toml::node* n = t.get("arrival");
    if (prompts.kind != load::PromptSpec::Kind::trace)
      r.fail(*n, p + "arrival", "trace replays the requests of [prompts] source = \"trace\", which is not set");
    if (rate != nullptr) r.fail(*rate, p + "rate", "a trace sets its own arrival times: no rate");
    plan.trace = prompts.trace;
    plan.rate = load::trace_rate(*prompts.trace, plan.trace_speed);
    if (t.get("requests") == nullptr && t.get("duration") == nullptr) plan.requests = prompts.trace->size();

  } else if (const auto* n = t.get("speed")) {
    r.fail(*n, p + "speed", "only arrival = \"trace\" replays at a speed");
  }
  if (const auto* n = t.get("think_time"); n != nullptr && plan.model == LoadModel::open_loop &&
                                            plan.think_time.count() > 0) {
    r.fail(*n, p + "think_time", "only closed-loop users think; an open loop follows its rate");
  }
  // Multi-turn sessions (harness/load/session.h).
  if (const auto problem = load::session_shape_problem(s.session)) {
    const toml::node* at = t.get(problem->key);
    if (at == nullptr) throw InputError(fallback_where, p + problem->key, problem->problem);
    r.fail(*at, p + problem->key, problem->problem);
  }
  if (s.session.multi_turn()) {
    const toml::node& at = *t.get("turns");
    if (s.operation == load::Operation::batch)
      r.fail(at, p + "turns", "a session sends its turns one after another: use operation \"invoke\" or \"stream\", not batch");
    if (trace) r.fail(at, p + "turns", "a trace replays single requests at its timestamps: no sessions with arrival = \"trace\"");
  } else if (const auto* n = t.get("turn_think_time"); n != nullptr && s.session.think_time != Distribution::fixed(0)) {
    r.fail(*n, p + "turn_think_time", "only multi-turn sessions think between turns: set turns (e.g. turns = 4)");
  }
  const toml::node* requests = t.get("requests");
  const toml::node* duration = t.get("duration");
  if (requests == nullptr && duration == nullptr && !trace) {
    throw InputError(fallback_where, p + "requests",
                     "missing: give requests = N or duration = \"10s\" (or both)");
  }
  if (const auto* n = t.get("warmup")) {
    if (n->is_integer()) {
      plan.warmup_requests = static_cast<std::uint64_t>(r.integer(*n, p + "warmup", 0));
    } else if (n->is_string()) {
      plan.warmup_duration = r.duration(*n, p + "warmup");
    } else {
      r.fail(*n, p + "warmup", "expected a request count (10) or a duration (\"2s\"), got " + type_name(*n));
    }
  }
  if (trace && plan.warmup_requests + plan.requests > prompts.trace->size()) {
    const toml::node* at = t.get("requests") != nullptr ? t.get("requests") : t.get("arrival");
    r.fail(*at, p + "requests",
           fmt::format("the trace has {} requests; warm-up and measured requests must fit in it", prompts.trace->size()));
  }
  t.for_each_in("slo", r, p + "slo", [&](const std::string& key, const toml::node& value) {
    if (key == "ttft_ms")
      s.slo.ttft_ms = r.positive_number(value, p + "slo.ttft_ms");
    else if (key == "tpot_ms")
      s.slo.tpot_ms = r.positive_number(value, p + "slo.tpot_ms");
    else if (key == "e2e_ms")
      s.slo.e2e_ms = r.positive_number(value, p + "slo.e2e_ms");
    else
      r.fail(value, p + "slo." + key, "unknown key (expected one of: e2e_ms, tpot_ms, ttft_ms)");
  });
  if (const toml::node* search = t.get("search")) read_search(r, *search, p, s);
  {
    std::vector<std::pair<std::string, const toml::node*>> headers;
    t.for_each_in("headers", r, p + "headers", [&](const std::string& key, const toml::node& value) {
      for (auto& h : headers) {
        if (h.first == key) {
          h.second = &value;
          return;
        }
      }
      headers.emplace_back(key, &value);
    });
    for (const auto& [name, node] : headers) {
      const toml::node& value = *node;
      if (name.empty() || name.find_first_of(" :\r\n") != std::string::npos) {
        r.fail(value, p + "headers", "'" + name + "' is not a valid header name");
      }
      std::string text;
      if (value.is_integer() || value.is_floating_point()) {
        text = value.is_integer() ? std::to_string(value.as_integer()->get())
                                  : fmt::format("{}", value.as_floating_point()->get());
      } else {
        text = r.string(value, p + "headers." + name);
      }
      if (text.find_first_of("\r\n") != std::string::npos)
        r.fail(value, p + "headers." + name, "must be one line");
      s.headers.emplace_back(name, text);
    }
  }
  if (const auto* n = t.get("thresholds")) {
    const auto* array = n->as_array();
    if (array == nullptr) r.fail(*n, p + "thresholds", "expected an array of strings, got " + type_name(*n));
    // Checked now, not by `llmbench gate` after the measurement: a typo must not cost a run.
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      const std::string key = fmt::format("{}thresholds[{}]", p, i);
      std::string text = r.string(element, key);
      try {
        metrics::parse_threshold_expression(text);
      } catch (const std::invalid_argument& e) {
        r.fail(element, key, fmt::format("'{}': {}", text, e.what()));
      }
      s.thresholds.push_back(std::move(text));
    }
  }
  {
    // extra_body: [defaults]' then the scenario's, deep-merged (the scenario's keys win).
    boost::json::object extra;
    bool any = false;
    for (const toml::table* layer : {t.defaults, &t.own}) {
      if (layer == nullptr) continue;
      if (const auto* n = layer->get("extra_body")) {
        const auto* table = n->as_table();
        if (table == nullptr) r.fail(*n, p + "extra_body", "expected a table, got " + type_name(*n));
        harness::deep_merge(extra, toml_to_json(r, *table, p + "extra_body").as_object());
        any = true;
      }
    }
    if (any) s.request_fields.extra_body = std::make_shared<const boost::json::object>(std::move(extra));
  }
  if (const std::uint32_t max = s.request_fields.max_tokens; max > 0 && s.request_fields.min_tokens > max) {
    const toml::node* at = t.get("min_tokens");
    if (at == nullptr) throw InputError(fallback_where, p + "min_tokens", "is above max_tokens");
    r.fail(*at, p + "min_tokens",
           fmt::format("{} is above max_tokens {} (a server refuses it)", s.request_fields.min_tokens, max));
  }

  // Combinations no driver can run; the message's leading "field:" names the key to point at.
  auto check = [&](const load::LoadPlan& step_plan) {
    load::DriverConfig config;
    config.mode = s.mode;
    config.operation = s.operation;
    config.batch_size = s.batch_size;
    static const auto dummy = load::make_synthetic_prompts({});
    config.prompts = dummy.get();
    try {
      load::validate_load_plan(step_plan);
      load::check_driver_config(config, step_plan);
    } catch (const std::invalid_argument& e) {
      const auto [field, problem] = split_field(e.what());
      const toml::node* at = t.get(field);
      if (at == nullptr) at = t.get(field == "concurrency" ? "mode" : "operation");
      if (at == nullptr) throw InputError(fallback_where, p + field, problem);
      r.fail(*at, p + field, problem);
    }
  };
  if (s.sweep_parameter.empty()) {
    check(plan);
  } else {
    for (const double v : s.sweep_values) {
      load::LoadPlan step_plan = plan;
      if (s.sweep_parameter == "concurrency")
        step_plan.concurrency = static_cast<std::uint32_t>(v);
      else
        step_plan.rate = v;
      check(step_plan);
    }
  }
  return s;
}

}  // namespace

Override parse_override(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw InputError("--set", "", fmt::format("'{}' is not key=value (e.g. scenario.concurrency=8)", text));
  }
  return Override{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)), "", false};
}

load::SuiteSpec parse_suite(std::string_view toml_text, const std::string& source_name,
                            const std::vector<Override>& overrides, const std::filesystem::path& base_dir) {
  auto document = std::make_shared<toml::table>();
  toml::table& root = *document;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}:{}", source_name, e.source().begin.line), "",
                     std::string(e.description()));
  }
  for (const Override& o : overrides) apply_override(root, o);

  const Reader r(source_name);
  config::only_keys(root, config::Place{source_name, ""}, {"suite", "target", "prompts", "defaults", "scenario"});
  load::SuiteSpec suite;
  suite.source = source_name;
  suite.name = std::filesystem::path(source_name).stem().string();
  if (const auto* n = root.get("suite")) {
    const toml::table& t = r.table(*n, "suite");
    config::only_keys(t, config::Place{source_name, "suite."}, {"name"});
    if (const auto* name = t.get("name")) suite.name = r.string(*name, "suite.name");
  }
  const toml::table* target = root.get("target") ? &r.table(*root.get("target"), "target") : nullptr;
  read_target(r, target, base_dir, suite.target);
  suite.target.table = config::Section{document, target, source_name, "target"};
  // A ShareGPT dataset keeps its conversations' later turns only for a suite that runs
  // multi-turn sessions (they are its sessions' next messages; otherwise unused memory).
  const auto sets_turns = [](const toml::node* n) { return n != nullptr && n->is_table() && n->as_table()->contains("turns"); };
  suite.prompts.selection.later_turns = sets_turns(root.get("defaults"));
  if (const auto* list = root.get("scenario") != nullptr ? root.get("scenario")->as_array() : nullptr) {
    for (const toml::node& own : *list) suite.prompts.selection.later_turns = suite.prompts.selection.later_turns || sets_turns(&own);
  }
  read_prompts(r, root.get("prompts") ? &r.table(*root.get("prompts"), "prompts") : nullptr, base_dir,
               suite.prompts);

  const toml::table* defaults = nullptr;
  if (const auto* n = root.get("defaults")) {
    defaults = &r.table(*n, "defaults");
    config::only_declared_keys(load::scenario_schema(), *defaults, config::Place{source_name, "defaults."});
  }
  const toml::node* scenarios = root.get("scenario");
  if (scenarios == nullptr)
    throw InputError(source_name, "scenario", "missing: add at least one [[scenario]]");
  const toml::array* list = scenarios->as_array();
  if (list == nullptr || !list->is_array_of_tables()) {
    r.fail(*scenarios, "scenario", "expected [[scenario]] tables");
  }
  if (list->empty()) r.fail(*scenarios, "scenario", "add at least one [[scenario]]");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const toml::table& own = *list->get(i)->as_table();
    load::ScenarioSpec s = read_scenario(r, Layered{own, defaults}, i, suite.prompts, r.where(own));
    if (!names.insert(s.name).second) {
      r.fail(own.get("name") ? *own.get("name") : own, "scenario.name", "'" + s.name + "' is used twice");
    }
    suite.scenarios.push_back(std::move(s));
  }
  return suite;
}

load::SuiteSpec load_suite_file(const std::filesystem::path& path, const std::vector<Override>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot open scenario file");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path.string(), "", "read error");
  return parse_suite(text.str(), path.string(), overrides, path.parent_path());
}

}  // namespace llmbench::scenario
