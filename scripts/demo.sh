#!/usr/bin/env bash
# `make demo`: run the quickstart suite against the embedded mock and write every report format.
# Usage: scripts/demo.sh PATH/TO/llmbench OUT_DIR
set -euo pipefail
llmbench="$1"
out="$2"

"$llmbench" --version
echo
echo "== Quickstart: sync vs threaded vs coroutine, invoke / batch / stream, against the embedded mock"
"$llmbench" run scenarios/quickstart.toml --out "$out" --format json,html,md,csv
echo
echo "Reports written to $out:"
ls -l "$out"
echo
echo "Open $out/report.html in a browser, or re-render with: $llmbench report $out/report.json --format md"
