#pragma once

#include <filesystem>
#include <string>

// The output directory of `llmbench run`: checked before the first request, and a previous
// run's reports kept rather than overwritten (docs/cli.md, "Output directory").
namespace llmbench::reports {

// Makes sure the reports can be written into `dir` before anything is measured: creates it
// (with its parents) when missing, then creates and removes a probe file in it, and checks
// that no report path in it is taken by something other than a regular file. Throws
// llmbench::InputError "FLAG: PATH: problem" (exit 2) otherwise.
void check_output_dir(const std::filesystem::path& dir, const std::string& flag);

// Moves every report file of an earlier run found in `dir` (report.json, report.csv,
// report.md, report.html, report.gbench.json: all formats, not only those about to be
// written, so the directory never mixes two runs) into dir/previous/<UTC time of that
// report, e.g. 20260102T030405Z>/, never overwriting an older kept run. Returns that folder,
// or an empty path when `dir` held no report. Throws std::system_error when a move fails.
std::filesystem::path keep_previous_reports(const std::filesystem::path& dir);

// The same for one file `name` of `dir` (a shard's shard-I.json, which N shards on a shared
// volume write side by side): moved into dir/previous/<UTC time>/ when present, touching no other
// file. Returns the folder, or an empty path when there was no such file.
std::filesystem::path keep_previous_file(const std::filesystem::path& dir, const std::string& name);

}  // namespace llmbench::reports
