// llmbench merge: one report from several processes or machines that ran the same suite, or from
// the shards of a distributed run (docs/distributed.md).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>

#include "cli/command_registry.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "common/input_error.h"
#include "harness/result/distributed_run.h"
#include "harness/result/report_frames.h"
#include "harness/result/report_json.h"

namespace llmbench::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::uint32_t expect_shards = 0;  // 0: not given
  bool allow_partial = false;
};

void print_shards(const result::DistributedRun& d) {
  fmt::print("run {}: {} of {} shards{}\n", d.run_id, d.shards.size(), d.shard_count,
             d.partial ? " (PARTIAL: some shards missing)" : "");
  for (const result::ShardRecord& s : d.shards) {
    fmt::print("  shard {}/{} on {}: {} requests, {:.2f} req/s, started {}\n", s.index, d.shard_count, s.host,
               s.requests, s.requests_per_s, s.actual_start);
  }
  if (d.start_skew_ms) fmt::print("  start skew (latest - earliest actual start): {:.3f} ms\n", *d.start_skew_ms);
}

CommandRunner setup_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  app.add_option("REPORTS", args->inputs,
                 "report.json files of the same suite, or shard-I.json files; '-': framed reports on stdin "
                 "(llmbench run --out -, e.g. from kubectl logs)")
      ->required()
      ->expected(1, -1);
  app.add_option("-o,--output", args->output, "Merged report.json to write")->required();
  app.add_option("--expect-shards", args->expect_shards,
                 "The run's shard count: refuse a missing or duplicate shard (docs/distributed.md)")
      ->check(CLI::Range(1u, 1'000'000u));
  app.add_flag("--allow-partial", args->allow_partial,
               "Merge even when shards are missing; the result is marked partial (gate refuses it unless "
               "given --allow-partial too)");
  return [args]() {
    // The same file twice (under any spelling) would count its requests twice.
    std::vector<std::filesystem::path> canonical;
    bool stdin_read = false;
    std::vector<result::RunReport> reports;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < args->inputs.size(); ++i) {
      const std::string& input = args->inputs[i];
      if (input == "-") {
        if (stdin_read) throw InputError("-", "", "stdin is given twice");
        stdin_read = true;
        const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
        for (result::FramedReport& framed : result::parse_framed_reports(text, "stdin")) {
          names.push_back(std::move(framed.name));
          reports.push_back(std::move(framed.report));
        }
        continue;
      }
      std::error_code ec;
      std::filesystem::path p = std::filesystem::weakly_canonical(input, ec);
      if (ec) p = input;
      for (std::size_t j = 0; j < canonical.size(); ++j) {
        if (canonical[j] == p) {
          throw InputError(input, "",
                           fmt::format("is the same file as {}: merging it would count its requests twice",
                                       args->inputs[j]));
        }
      }
      canonical.push_back(std::move(p));
      reports.push_back(result::load_report_file(input));
      names.push_back(input);
    }
    const bool sharded = std::any_of(reports.begin(), reports.end(), [](const auto& r) { return r.distributed; });
    if (reports.size() < 2 && !sharded && args->expect_shards == 0) {
      throw InputError("REPORTS", "", "one report: nothing to merge (give two or more, or shard reports)");
    }
    result::ShardMergeOptions options;
    if (args->expect_shards > 0) options.expect_shards = args->expect_shards;
    options.allow_partial = args->allow_partial;
    const result::RunReport merged = result::merge_shard_reports(reports, names, options);
    write_file_atomically(args->output, result::to_json_text(merged));
    fmt::print("merged {} reports into {}\n", reports.size(), args->output);
    if (merged.distributed) print_shards(*merged.distributed);
    if (!merged.interrupted_inputs.empty()) {
      fmt::print(stderr,
                 "llmbench merge: warning: partial results: {} {} interrupted; {} is marked interrupted and "
                 "lists them in interrupted_inputs\n",
                 fmt::join(merged.interrupted_inputs, ", "),
                 merged.interrupted_inputs.size() == 1 ? "was" : "were", args->output);
    }
    if (merged.distributed && merged.distributed->partial) {
      fmt::print(stderr, "llmbench merge: warning: {} is marked partial: shards are missing (--allow-partial)\n",
                 args->output);
    }
    return static_cast<int>(kExitOk);
  };
}

}  // namespace

LLMBENCH_REGISTER_COMMAND("merge",
                          "Merge reports of one suite run by several processes or machines, or the shards of a "
                          "distributed run (histograms add)",
                          70, setup_merge);

}  // namespace llmbench::cli
