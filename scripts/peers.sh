#!/usr/bin/env bash
# Side-by-side comparison of llmbench with wrk, aiohttp and the openai Node.js client, and of
# llmbench's mock with a FastAPI one: see bench/peers/README.md. Parameters are environment variables.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bench/peers/run_peers.sh" "$@"
