#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/result/run_report.h"

namespace llmbench::result {

// `llmbench run --out -`: report.json on stdout between marker lines naming the shard, so the
// interleaved logs of N shards (`kubectl logs -l job-name=... --prefix | llmbench merge -`) can be
// split again (docs/distributed.md):
//   llmbench-report-begin shard=2/4 run=run-0123456789ab bytes=12345
//   {"schema_version":1,...}                      (the report as one line of compact JSON)
//   llmbench-report-end shard=2/4 run=run-0123456789ab
// One line of JSON keeps it whole however log lines of several pods interleave; the byte count
// catches a truncated log.
std::string framed_report(const RunReport& report);

struct FramedReport {
  std::string name;  // "<source>:LINE shard I/N", for messages and merged_from
  RunReport report;
};

// Every framed report in `text`, in order. Lines outside frames (other log output) are ignored; a
// prefix before the begin marker (kubectl's "[pod/x/c] ") is stripped from the frame's lines.
// Throws llmbench::InputError naming `source` and the line for a broken frame (no JSON line, a
// wrong byte count, no end marker) or a bad report; an input with no frame at all is an error too.
std::vector<FramedReport> parse_framed_reports(std::string_view text, const std::string& source);

}  // namespace llmbench::result
