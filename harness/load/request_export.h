#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/client/request_record.h"

namespace llmbench::load {

// The step a request belongs to, as the export names it (docs/requests-export.md).
struct ExportStep {
  std::string scenario;
  std::size_t step = 0;  // 0-based position of the step in its scenario
  std::int64_t start_ns = 0;  // the step's clock start (Schedule::start_ns); line times count from it
};

// `--save-requests PATH` / the scenario key `save_requests`: every request of the run as one
// JSON line (docs/requests-export.md). Bounded memory: workers hand records to a queue of at
// most `capacity` entries that a writer thread formats and appends to PATH.partial in blocks
// of whole lines; a worker waits only when the writer is that far behind. finish() renames the
// file to PATH; a run that dies before leaves PATH.partial, whose lines are whole except
// perhaps the last.
class RequestExport {
 public:
  static constexpr int kVersion = 1;

  // Opens PATH.partial (creating parent directories) and starts the writer. Throws
  // llmbench::InputError naming the path when it cannot be created: before anything runs.
  explicit RequestExport(std::filesystem::path path, std::size_t capacity = 4096);
  ~RequestExport();  // without finish(): stops the writer, keeps PATH.partial
  RequestExport(const RequestExport&) = delete;
  RequestExport& operator=(const RequestExport&) = delete;

  // A step whose requests follow; the reference stays valid as long as this export.
  // Called by the runner between steps.
  const ExportStep& begin_step(std::string scenario, std::size_t step, std::int64_t start_ns);
  // Thread-safe; copies what the line needs.
  void add(const ExportStep& step, bool warmup, const harness::RequestRecord& record);
  // Writes what is queued, closes and renames PATH.partial to PATH. Throws std::runtime_error
  // naming the path on an I/O error.
  void finish();

  const std::filesystem::path& path() const noexcept { return path_; }
  std::uint64_t lines_written() const;

 private:
  struct Entry {
    const ExportStep* step;
    bool warmup;
    harness::RequestRecord record;
  };
  void write_loop();

  std::filesystem::path path_;
  std::filesystem::path partial_;
  std::FILE* file_ = nullptr;
  std::size_t capacity_;
  std::deque<ExportStep> steps_;  // stable addresses

  mutable std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::vector<Entry> queue_;
  bool stopping_ = false;
  bool failed_ = false;
  std::uint64_t written_ = 0;
  std::thread writer_;
};

// One request's line (without the newline); exposed for tests.
std::string request_line(const ExportStep& step, bool warmup, const harness::RequestRecord& record);
// The first line of every export: {"llmbench_requests":VERSION,...}.
std::string export_header_line();

}  // namespace llmbench::load
