// llmbench merge: one report from several processes or machines that ran the same suite.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "cli/command_registry.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
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
    // The same file twice (under any spelling) would count its requests twice.
    std::vector<std::filesystem::path> canonical;
    for (std::size_t i = 0; i < args->inputs.size(); ++i) {
      std::error_code ec;
      std::filesystem::path p = std::filesystem::weakly_canonical(args->inputs[i], ec);
      if (ec) p = args->inputs[i];
      for (std::size_t j = 0; j < canonical.size(); ++j) {
        if (canonical[j] == p) {
          throw InputError(args->inputs[i], "",
                           fmt::format("is the same file as {}: merging it would count its requests twice",
                                       args->inputs[j]));
        }
      }
      canonical.push_back(std::move(p));
    }
    std::vector<result::RunReport> reports;
    for (const std::string& path : args->inputs) reports.push_back(result::load_report_file(path));
    const result::RunReport merged = result::merge_reports(reports, args->inputs);
    write_file_atomically(args->output, result::to_json_text(merged));
    fmt::print("merged {} reports into {}\n", reports.size(), args->output);
    if (!merged.interrupted_inputs.empty()) {
      fmt::print(stderr,
                 "llmbench merge: warning: partial results: {} {} interrupted; {} is marked interrupted and "
                 "lists them in interrupted_inputs\n",
                 fmt::join(merged.interrupted_inputs, ", "),
                 merged.interrupted_inputs.size() == 1 ? "was" : "were", args->output);
    }
    return static_cast<int>(kExitOk);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("merge",
                          "Merge reports of one suite run by several processes or machines (histograms add)",
                          70, setup_merge);

}  // namespace llmbench::cli
