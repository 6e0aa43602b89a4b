#!/usr/bin/env bash
# Speed and memory of the core pipeline on synthetic cluster-days of growing size (figures only, no assertions).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
scripts/setup.sh
dotnet build benchmarks/ThanosBridge.Benchmarks -c Release --nologo -v quiet -o .stack/bench >/dev/null
for pods in ${BENCH_PODS:-500 2000}; do
  dotnet .stack/bench/ThanosBridge.Benchmarks.dll "$pods"
  echo
done
