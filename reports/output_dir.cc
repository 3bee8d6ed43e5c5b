#include "reports/output_dir.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <ctime>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/input_error.h"

namespace llmbench::reports {

namespace fs = std::filesystem;

namespace {

// Every file write_reports can produce (report_writer.cc), report.json first: it dates the run.
constexpr std::array<std::string_view, 5> kReportFiles = {"report.json", "report.csv", "report.md",
                                                          "report.html", "report.gbench.json"};

std::string utc_stamp(const fs::path& file) {
  struct stat info {};
  std::time_t when = std::time(nullptr);
  if (::stat(file.c_str(), &info) == 0) when = info.st_mtime;
  std::tm tm{};
  ::gmtime_r(&when, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

}  // namespace

void check_output_dir(const fs::path& dir, const std::string& flag) {
  const std::string where = fmt::format("{}: {}", flag, dir.string());
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      throw InputError(where, "",
                       "exists and is not a directory (--out names the directory the reports go in)");
    }
  } else {
    fs::create_directories(dir, ec);
    if (ec) throw InputError(where, "", "cannot create the output directory: " + ec.message());
  }
  for (std::string_view name : kReportFiles) {
    const fs::path file = dir / name;
    const fs::file_status s = fs::symlink_status(file, ec);
    if (fs::exists(s) && !fs::is_regular_file(s)) {
      throw InputError(where, "", fmt::format("{} exists and is not a regular file", file.string()));
    }
  }
  // Write access as the process really has it (root ignores permission bits, but not a
  // read-only file system or /proc): create and remove a probe file.
  const fs::path probe = dir / fmt::format(".llmbench-write-check-{}", ::getpid());
  {
    std::ofstream out(probe, std::ios::binary | std::ios::trunc);
    if (!out || !(out << "x") || !(out.flush())) {
      fs::remove(probe, ec);
      throw InputError(where, "", "the output directory is not writable");
    }
  }
  fs::remove(probe, ec);
}

fs::path keep_previous_reports(const fs::path& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (std::string_view name : kReportFiles) {
    const fs::path file = dir / name;
    if (fs::is_regular_file(fs::symlink_status(file, ec))) found.push_back(file);
  }
  if (found.empty()) return {};
  const std::string stamp = utc_stamp(found.front());
  fs::path target = dir / "previous" / stamp;
  for (int n = 2; fs::exists(target); ++n) target = dir / "previous" / fmt::format("{}-{}", stamp, n);
  fs::create_directories(target);
  for (const fs::path& file : found) fs::rename(file, target / file.filename());
  return target;
}

fs::path keep_previous_file(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  const fs::path file = dir / name;
  if (!fs::is_regular_file(fs::symlink_status(file, ec))) return {};
  const std::string stamp = utc_stamp(file);
  fs::path target = dir / "previous" / stamp;
  for (int n = 2; fs::exists(target / name); ++n) target = dir / "previous" / fmt::format("{}-{}", stamp, n);
  fs::create_directories(target);
  fs::rename(file, target / name);
  return target;
}

}  // namespace llmbench::reports
