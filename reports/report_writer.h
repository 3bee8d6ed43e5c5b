#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/result/run_report.h"

namespace llmbench::reports {

// Format names accepted by write_reports and `--format`: json, csv, md, html, gbench.
const std::vector<std::string>& known_report_formats();

// Splits "html,md,csv" into names; throws llmbench::InputError naming `flag` on an unknown one.
std::vector<std::string> parse_report_formats(const std::string& list, const std::string& flag);

// Writes DIR/report.json, report.csv, report.md, report.html, report.gbench.json (those asked
// for), each atomically. Throws llmbench::InputError on an unknown format name.
void write_reports(const result::RunReport& report, const std::filesystem::path& dir,
                   const std::vector<std::string>& formats);

}  // namespace llmbench::reports
