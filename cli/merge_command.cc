// llmbench merge: one report from several processes or machines that ran the same suite.
#include <fmt/format.h>

#include "cli/command_registry.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "harness/result/report_json.h"

namespace llmbench::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string output;
};

CommandRunner setup_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  app.add_option("REPORTS", args->inputs, "report.json files of the same suite")->required()->expected(2, -1);
  app.add_option("-o,--output", args->output, "Merged report.json to write")->required();
  return [args]() {
    std::vector<result::RunReport> reports;
    for (const std::string& path : args->inputs) reports.push_back(result::load_report_file(path));
    const result::RunReport merged = result::merge_reports(reports, args->inputs);
    write_file_atomically(args->output, result::to_json_text(merged));
    fmt::print("merged {} reports into {}\n", reports.size(), args->output);
    return static_cast<int>(kExitOk);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("merge",
                          "Merge reports of one suite run by several processes or machines (histograms add)",
                          70, setup_merge);

}  // namespace llmbench::cli
