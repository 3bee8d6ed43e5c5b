#include "reports/report_writer.h"

#include <algorithm>

#include "common/atomic_file.h"
#include "common/input_error.h"
#include "harness/result/report_json.h"
#include "reports/formatters.h"

namespace llmbench::reports {

const std::vector<std::string>& known_report_formats() {
  static const std::vector<std::string> formats{"json", "csv", "md", "html", "gbench"};
  return formats;
}

std::vector<std::string> parse_report_formats(const std::string& list, const std::string& flag) {
  std::vector<std::string> formats;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    const std::size_t end = std::min(list.find(',', begin), list.size());
    std::string name = list.substr(begin, end - begin);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (name == "markdown") name = "md";
    if (!name.empty()) {
      const auto& known = known_report_formats();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        throw InputError(flag, "", "unknown format '" + name + "' (known: json, csv, md, html, gbench)");
      }
      if (std::find(formats.begin(), formats.end(), name) == formats.end()) formats.push_back(name);
    }
    begin = end + 1;
  }
  if (formats.empty()) throw InputError(flag, "", "no format given (known: json, csv, md, html, gbench)");
  return formats;
}

void write_reports(const result::RunReport& report, const std::filesystem::path& dir,
                   const std::vector<std::string>& formats) {
  for (const std::string& format : formats) {
    if (format == "json") {
      write_file_atomically(dir / "report.json", result::to_json_text(report));
    } else if (format == "csv") {
      write_file_atomically(dir / "report.csv", format_csv(report));
    } else if (format == "md") {
      write_file_atomically(dir / "report.md", format_markdown(report));
    } else if (format == "html") {
      write_file_atomically(dir / "report.html", format_html(report));
    } else if (format == "gbench") {
      write_file_atomically(dir / "report.gbench.json", format_gbench_json(report));
    } else {
      throw InputError("report format", "", "unknown format '" + format + "'");
    }
  }
}

}  // namespace llmbench::reports
