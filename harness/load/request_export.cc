#include "harness/load/request_export.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "common/input_error.h"
#include "common/version.h"

namespace llmbench::load {

namespace fs = std::filesystem;

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;  // UTF-8 passes through; error messages are built by the harness
        }
    }
  }
  out += '"';
}

// A stamp relative to `from`, or null when it did not happen (0).
void append_since(std::string& out, std::int64_t stamp, std::int64_t from) {
  if (stamp == 0) {
    out += "null";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", stamp - from);
  }
}

}  // namespace

std::string export_header_line() {
  std::string out = fmt::format("{{\"llmbench_requests\":{},\"tool_version\":", RequestExport::kVersion);
  append_json_string(out, kVersion);
  out += ",\"time_unit\":\"ns\"}";
  return out;
}

std::string request_line(const ExportStep& step, bool warmup, const harness::RequestRecord& r) {
  std::string out;
  out.reserve(256 + 12 * r.token_ns.size());
  out += "{\"scenario\":";
  append_json_string(out, step.scenario);
  const auto put = [&out](std::string_view key) { fmt::format_to(std::back_inserter(out), ",\"{}\":", key); };
  put("step");
  fmt::format_to(std::back_inserter(out), "{}", step.step);
  put("index");
  fmt::format_to(std::back_inserter(out), "{}", r.index);
  put("warmup");
  out += warmup ? "true" : "false";
  // Closed-loop records may leave the intended start unset: then it is the actual start.
  const std::int64_t intended = r.intended_start_ns != 0 ? r.intended_start_ns : r.start_ns;
  put("intended_start_ns");
  append_since(out, intended, step.start_ns);
  put("start_ns");
  append_since(out, r.start_ns, step.start_ns);
  put("ttft_ns");
  append_since(out, r.start_ns != 0 ? r.first_token_ns : 0, r.start_ns);
  put("ttfo_ns");
  append_since(out, r.start_ns != 0 ? r.first_output_ns : 0, r.start_ns);
  put("e2e_ns");
  append_since(out, r.start_ns != 0 ? r.end_ns : 0, r.start_ns);
  put("token_gaps_ns");
  out += '[';
  std::int64_t previous = r.start_ns;
  for (std::size_t i = 0; i < r.token_ns.size(); ++i) {
    if (i > 0) out += ',';
    fmt::format_to(std::back_inserter(out), "{}", r.token_ns[i] - previous);
    previous = r.token_ns[i];
  }
  out += ']';
  put("prompt_tokens");
  fmt::format_to(std::back_inserter(out), "{}", r.prompt_tokens);
  put("output_tokens");
  fmt::format_to(std::back_inserter(out), "{}", r.output_tokens);
  put("reasoning_tokens");
  fmt::format_to(std::back_inserter(out), "{}", r.reasoning_tokens);
  put("usage_reported");
  out += r.usage_reported ? "true" : "false";
  put("http_status");
  fmt::format_to(std::back_inserter(out), "{}", r.http_status);
  put("ok");
  out += r.ok() ? "true" : "false";
  put("error_kind");
  append_json_string(out, harness::error_kind_name(r.error));
  put("error");
  append_json_string(out, r.error_message);
  put("finish_reason");
  append_json_string(out, r.finish_reason);
  put("retries");
  fmt::format_to(std::back_inserter(out), "{}", r.retries);
  put("rejected_attempts");
  fmt::format_to(std::back_inserter(out), "{}", r.rejected_attempts);
  out += '}';
  return out;
}

RequestExport::RequestExport(fs::path path, std::size_t capacity)
    : path_(std::move(path)), capacity_(std::max<std::size_t>(1, capacity)) {
  partial_ = path_;
  partial_ += ".partial";
  std::error_code ec;
  if (path_.has_parent_path()) fs::create_directories(path_.parent_path(), ec);
  file_ = std::fopen(partial_.c_str(), "wb");
  if (file_ == nullptr) {
    throw InputError(path_.string(), "save_requests", fmt::format("cannot create {}: {}", partial_.string(),
                                                                   std::strerror(errno)));
  }
  const std::string header = export_header_line() + '\n';
  if (std::fwrite(header.data(), 1, header.size(), file_) != header.size()) failed_ = true;
  queue_.reserve(capacity_);
  writer_ = std::thread([this] { write_loop(); });
}

RequestExport::~RequestExport() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  has_work_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (file_ != nullptr) std::fclose(file_);
}

const ExportStep& RequestExport::begin_step(std::string scenario, std::size_t step, std::int64_t start_ns) {
  std::lock_guard lock(mutex_);  // the writer reads earlier steps only through Entry::step
  return steps_.emplace_back(ExportStep{std::move(scenario), step, start_ns});
}

void RequestExport::add(const ExportStep& step, bool warmup, const harness::RequestRecord& record) {
  std::unique_lock lock(mutex_);
  // Back pressure rather than unbounded memory: only a writer `capacity_` lines behind
  // (a disk slower than the target) makes a worker wait.
  has_room_.wait(lock, [this] { return queue_.size() < capacity_ || stopping_; });
  if (stopping_) return;
  queue_.push_back(Entry{&step, warmup, record});
  if (queue_.size() == 1) has_work_.notify_one();
}

void RequestExport::write_loop() {
  std::vector<Entry> batch;
  batch.reserve(capacity_);
  std::string block;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      has_work_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
    }
    has_room_.notify_all();
    block.clear();
    for (const Entry& e : batch) {
      block += request_line(*e.step, e.warmup, e.record);
      block += '\n';
    }
    // One write of whole lines per block, flushed: an interrupted process leaves whole lines.
    const bool ok = std::fwrite(block.data(), 1, block.size(), file_) == block.size() && std::fflush(file_) == 0;
    std::lock_guard lock(mutex_);
    if (!ok) failed_ = true;
    written_ += batch.size();
    batch.clear();
  }
}

void RequestExport::finish() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  has_work_.notify_all();
  has_room_.notify_all();
  if (writer_.joinable()) writer_.join();
  bool ok = !failed_ && std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) throw std::runtime_error(fmt::format("{}: writing the request export failed", partial_.string()));
  std::error_code ec;
  fs::rename(partial_, path_, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot rename to {}: {}", partial_.string(), path_.string(), ec.message()));
}

std::uint64_t RequestExport::lines_written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

}  // namespace llmbench::load
