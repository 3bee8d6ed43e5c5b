#pragma once

#include <cstdint>
#include <string_view>

#include "harness/client/request_record.h"

namespace llmbench::harness {

// stream_events-style callbacks (LangChain's astream_events): the harness timestamps
// everything through these. Called on the thread or event loop that runs the request;
// implementations must be cheap (on_token runs once per chunk on the hot path).
// Every request ends with exactly one of on_end (success) or on_error.
class StreamObserver {
 public:
  virtual ~StreamObserver() = default;
  virtual void on_start(std::int64_t /*now_ns*/) {}
  virtual void on_retry(std::uint16_t /*attempt*/, std::int64_t /*now_ns*/) {}
  virtual void on_first_token(std::int64_t /*now_ns*/) {}
  virtual void on_token(std::string_view /*content*/, std::int64_t /*now_ns*/) {}
  virtual void on_end(const RequestRecord& /*record*/) {}
  virtual void on_error(const RequestRecord& /*record*/) {}
};

}  // namespace llmbench::harness
