#pragma once

#include <string>
#include <vector>

#include "harness/result/run_report.h"
#include "reports/compare.h"

namespace llmbench::reports {

// One report of a comparison, under the name the user gave it (its path).
struct ComparedRun {
  std::string name;
  const result::RunReport* report = nullptr;
};

// `llmbench compare --html`: the baseline and one or more current runs on one self-contained
// page: per current run its verdict table against the baseline (worse rows red, better green)
// and its workload warning, then every run's scenarios overlaid on the same charts (each
// series named "<run>: <scenario>"). rows[i] and warnings[i] belong to runs[i + 1].
std::string format_comparison_html(const std::vector<ComparedRun>& runs,
                                   const std::vector<std::vector<ComparisonRow>>& rows,
                                   const std::vector<std::string>& warnings);

}  // namespace llmbench::reports
