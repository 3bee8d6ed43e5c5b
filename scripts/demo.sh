#!/usr/bin/env bash
# `make demo`: run the quickstart suite against the embedded mock, write every report format,
# and end with what the run found, in words (`llmbench report --summary`, computed from report.json).
# Usage: scripts/demo.sh PATH/TO/llmbench OUT_DIR
set -euo pipefail
llmbench="$1"
out="$2"

"$llmbench" --version
echo
echo "== Quickstart: sync vs threaded vs coroutine, invoke / batch / stream, against the embedded mock"
"$llmbench" run scenarios/quickstart.toml --out "$out" --format json,html,md,csv
echo
"$llmbench" report "$out/report.json" --summary
echo
echo "Charts and tables: open $out/report.html in a browser ($out/ also holds report.json, .md, .csv)."
echo "Next: docs/quickstart.md, and '$llmbench run --help' to measure your own endpoint."
