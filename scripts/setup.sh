#!/usr/bin/env bash
# Prepares a fresh machine of this project's kind for building and running the bridge (idempotent):
# Debian packages the build, the stack and the tests need, and the librdkafka.redist stand-in feed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

need=()
for pkg in librdkafka1 librdkafka-dev prometheus kcat yamllint gcc curl; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Confluent.Kafka depends on librdkafka.redist, which the reachable NuGet registry does not have: pack the
# empty stand-in that nuget.config maps to build/feed (docs/build.md).
feed="$repo/build/feed"
if [ ! -f "$feed/librdkafka.redist.1.9.2.nupkg" ]; then
  echo "setup: packing the librdkafka.redist stand-in into build/feed"
  dotnet pack "$repo/build/librdkafka-stub/librdkafka.redist.csproj" -c Release -o "$feed" --nologo -v quiet >/dev/null || { echo "setup: packing the librdkafka.redist stand-in failed" >&2; exit 1; }
fi
