#!/usr/bin/env bash
# README command 2: sets up what the tests need (Debian packages, the local real
# services) and runs every test, unit and integration, then prints one summary line "Tests: N passed, N failed".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

started=$(date +%s)
scripts/setup.sh
scripts/stack.sh up

results="$repo/.stack/test-results"
rm -rf "$results"; mkdir -p "$results"
log="$results/dotnet-test.log"
status=0
# --blame-hang-timeout: a hung test fails the run with a dump instead of eating CI's time budget.
dotnet test ThanosBridge.slnx --nologo --blame-hang-timeout 10m --results-directory "$results" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S, Total: T" line per test assembly.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {printf "%d %d %d\n", p, f, s}')
assemblies=$(grep -cE '(Passed|Failed)! +- +Failed:' "$log" || true)
# One result line per test project (tests/*/*Tests.csproj; TestSupport is a library): fewer means one did not run.
test_projects=(tests/*/*Tests.csproj)
if [ "$assemblies" -lt "${#test_projects[@]}" ] && [ "$status" -eq 0 ]; then
  echo "test.sh: expected results from ${#test_projects[@]} test assemblies (tests/*/*Tests.csproj), got $assemblies" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # build failure or crash: never report green
echo "test.sh: $(( $(date +%s) - started )) s"
if [ "$skipped" -gt 0 ]; then
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "Tests: $passed passed, $failed failed"
fi
exit "$status"
