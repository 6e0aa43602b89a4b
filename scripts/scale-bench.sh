#!/usr/bin/env bash
# Scale benchmark of the bridge's `once` against a hub-like Prometheus (figures only, no assertions):
# wall time, peak memory and CPU of the bridge, Prometheus CPU, requests and bytes, and the ratio to the same queries
# replayed alone. tools/scalebench/README.md explains it; options are passed through, e.g.
#   scripts/scale-bench.sh --quick
#   scripts/scale-bench.sh --runs 2000x1,200x10 --hub-env THANOS_BRIDGE_STEP_SECONDS=60
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/setup.sh
exec python3 tools/scalebench/scalebench.py "$@"
