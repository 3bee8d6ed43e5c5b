#pragma once

#include <cstdint>
#include <string_view>

namespace llmbench::harness {

// Reads the `queue` and `service` metrics of a Server-Timing header value (W3C Server Timing:
// `queue;dur=81.2, service;dur=40;desc="decode"`, durations in milliseconds), as the mock and
// some gateways send them. Sets *queue_ns / *service_ns (nanoseconds) for each metric found
// with a valid, non-negative dur; leaves them alone otherwise. Names are case-insensitive;
// other metrics and parameters are ignored. Called from curl's header callback: no allocation.
void parse_server_timing(std::string_view value, std::int64_t* queue_ns, std::int64_t* service_ns);

}  // namespace llmbench::harness
