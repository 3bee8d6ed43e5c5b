#include "harness/result/report_frames.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <optional>

#include "common/input_error.h"
#include "harness/result/report_json.h"

namespace llmbench::result {

namespace {

constexpr std::string_view kBegin = "llmbench-report-begin ";
constexpr std::string_view kEnd = "llmbench-report-end ";

std::string shard_tag(const RunReport& report) {
  if (!report.distributed || report.distributed->shards.size() != 1) return "shard=0/1 run=-";
  const DistributedRun& d = *report.distributed;
  return fmt::format("shard={}/{} run={}", d.shards.front().index, d.shard_count, d.run_id);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// The value of `key=` in a marker's fields.
std::optional<std::string_view> field(std::string_view fields, std::string_view key) {
  std::size_t pos = 0;
  while (pos < fields.size()) {
    const auto space = fields.find(' ', pos);
    const std::string_view item = fields.substr(pos, space == std::string_view::npos ? fields.npos : space - pos);
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=') {
      return item.substr(key.size() + 1);
    }
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  return std::nullopt;
}

}  // namespace

std::string framed_report(const RunReport& report) {
  const std::string json = boost::json::serialize(to_json(report));
  const std::string tag = shard_tag(report);
  return fmt::format("{}{} bytes={}\n{}\n{}{}\n", kBegin, tag, json.size(), json, kEnd, tag);
}

std::vector<FramedReport> parse_framed_reports(std::string_view text, const std::string& source) {
  const std::vector<std::string_view> lines = split_lines(text);
  std::vector<FramedReport> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto at = lines[i].find(kBegin);
    if (at == std::string_view::npos) continue;
    const std::string where = fmt::format("{}:{}", source, i + 1);
    const std::string_view prefix = lines[i].substr(0, at);
    const std::string_view fields = lines[i].substr(at + kBegin.size());
    const std::string shard(field(fields, "shard").value_or("?"));
    const std::optional<std::string_view> bytes = field(fields, "bytes");
    // The frame's other lines carry the same prefix; lines of other pods in between are skipped.
    std::size_t j = i + 1;
    while (j < lines.size() && (lines[j].substr(0, prefix.size()) != prefix ||
                                lines[j].substr(prefix.size()).find(kBegin) != std::string_view::npos ||
                                (!prefix.empty() ? false : lines[j].substr(0, 1) != "{"))) {
      ++j;
    }
    if (j >= lines.size()) throw InputError(where, "", fmt::format("shard {}: the report line after the begin marker is missing", shard));
    const std::string_view json = lines[j].substr(prefix.size());
    if (bytes && *bytes != std::to_string(json.size())) {
      throw InputError(fmt::format("{}:{}", source, j + 1), "",
                       fmt::format("shard {}: the report is {} bytes, the marker says {} (truncated log?)", shard,
                                   json.size(), *bytes));
    }
    std::size_t k = j + 1;
    while (k < lines.size() && (lines[k].substr(0, prefix.size()) != prefix ||
                                lines[k].find(kEnd) == std::string_view::npos)) {
      ++k;
    }
    const std::string end_tag = fmt::format("{}shard={}", kEnd, shard);
    if (k >= lines.size() || lines[k].find(end_tag) == std::string_view::npos) {
      throw InputError(where, "", fmt::format("shard {}: no end marker after the report", shard));
    }
    FramedReport framed;
    framed.name = fmt::format("{}:{} shard {}", source, i + 1, shard);
    framed.report = report_from_json(json, framed.name);
    out.push_back(std::move(framed));
    i = k;
  }
  if (out.empty()) throw InputError(source, "", "no framed report (llmbench-report-begin ...) in the input");
  return out;
}

}  // namespace llmbench::result
