#!/usr/bin/env bash
# README command 1: sets up the machine, starts the local real services with demo data, runs the bridge's main job
# (`once`: discover the clusters in koku's database, collect them from Thanos, upload to S3, announce on Kafka)
# against them, then prints what was delivered, read back from Kafka and S3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/setup.sh
scripts/stack.sh up
set -a; . .stack/stack.env; set +a

echo
echo "== Building the bridge"
dotnet build src/ThanosBridge -c Release --nologo -v quiet -o .stack/bridge >/dev/null

echo
echo "== The bridge's main job: ThanosBridge once"
echo "(two warnings are expected: the demo's koku database holds a source koku's listener would ignore, listener_mismatch,"
echo " and Thanos holds a cluster that has no koku source; both are shown as skipped or unregistered below)"
status=0
dotnet .stack/bridge/ThanosBridge.dll once || status=$?

prefix=${THANOS_BRIDGE_S3_PREFIX:-thanos-bridge}
echo
echo "== koku's side, played by tools/kokulistener: download each announced URL (plain GET), record it in koku's manifest tables"
dotnet build tools/kokulistener -c Release --nologo -v quiet -o .stack/kokulistener >/dev/null
dotnet .stack/kokulistener/ThanosBridge.KokuListener.dll "$prefix" || status=$?

echo
echo "== Delivery confirmation: the next run looks the published snapshots up in koku's manifest and status tables"
dotnet .stack/bridge/ThanosBridge.dll once 2>/dev/null | grep -E '^koku confirmation' || status=$?
PGPASSWORD=$DATABASE_PASSWORD /usr/lib/postgresql/15/bin/psql -X -q -At -F ' ' -h "$DATABASE_SERVICE_HOST" -p "$DATABASE_SERVICE_PORT" \
  -U "$DATABASE_USER" -d "$DATABASE_NAME" >.stack/confirmations.txt \
  -c "SELECT uuid, coalesce(koku_status, 'unchecked'), reannouncements FROM thanos_bridge.snapshots WHERE state = 'published'"

echo
echo "== Delivered, read back from Kafka and S3, with koku's confirmation"
kcat -C -J -e -q -o beginning -t platform.upload.announce -b "$KAFKA_BOOTSTRAP_SERVERS" | python3 scripts/demo-summary.py "$prefix" .stack/confirmations.txt
echo
echo "Rerun this command: already delivered hours are not sent again (the ledger is in koku's database, schema thanos_bridge)."
exit "$status"
