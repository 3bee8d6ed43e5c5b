#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

namespace llmbench::result {

// report.json's `config` is the resolved suite configuration as the runner wrote it. Its
// *workload* part is what makes two reports measurements of the same thing: the target, the
// prompts and every scenario's settings. Left out, because they legitimately differ between runs
// and shards of one workload or do not shape the load (docs/report-schema.md):
//   name, source                    the suite's label and the path of the file it was read from
//   gate, scenarios[*].thresholds   pass/fail criteria, not load
//   target.api_key_env, target.ca_file   credentials' variable name, a local path
//   prompts.file                    reduced to its file name (the directory differs per machine)
boost::json::object workload_config(const boost::json::object& config);

// A stable hash of workload_config(config): FNV-1a 64 over its canonical JSON text (object
// keys sorted, no whitespace, numbers in shortest round-trip form, so 50 and 50.0 agree),
// written as "fnv1a64:" and 16 lowercase hex digits. Equal for reports of the same workload
// on any machine; it survives a write and re-read of report.json.
std::string config_hash(const boost::json::object& config);

// The workload keys whose values differ, as "target.mock.ttft: 20ms vs 30ms" (a key present on
// one side only reads "(absent)"), in key order, at most `limit` of them (then "... and N more").
std::vector<std::string> config_differences(const boost::json::object& a, const boost::json::object& b,
                                            std::size_t limit = 8);

}  // namespace llmbench::result
