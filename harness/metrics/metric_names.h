#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmbench::metrics {

// The names of the scalar figures of a step ("requests_per_s", "p99_ttft_ms", ...), the
// vocabulary of CSV columns, `compare` rows and `gate` thresholds (docs/metrics.md), in the
// catalog's stable order. The harness needs the names alone: a scenario file's thresholds are
// checked against them before anything runs. reports/metric_catalog.h attaches the values and
// must list exactly these names (tests/reports/metric_catalog_test.cc checks that).
const std::vector<std::string>& metric_names();

// Resolves a name or alias to its canonical name: "throughput" = requests_per_s, "goodput" =
// goodput_rps, "efficiency" = throughput_ratio, "p999_…" = "p99_9_…", and a latency name may
// leave out its "_ms" ("p99_e2e"). nullopt when unknown.
std::optional<std::string> canonical_metric_name(std::string_view name);

}  // namespace llmbench::metrics
