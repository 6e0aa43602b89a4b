#!/usr/bin/env bash
# Prepares a fresh machine of this project's kind for building and running the bridge (idempotent):
# the Debian packages the tests and tools need (the stack installs its own services' packages in scripts/stack.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

need=()
for pkg in prometheus kcat yamllint gcc curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
