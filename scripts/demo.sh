#!/usr/bin/env bash
# README command 1: sets up the machine, starts the local real services with demo data, runs the bridge's main job
# against them and prints a short summary of what it produced.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

scripts/setup.sh
scripts/stack.sh up
set -a; . .stack/stack.env; set +a

echo
echo "== What the stack holds"
echo "koku sources (koku-ingestion.md §4.3 SQL):"
PGPASSWORD=$DATABASE_PASSWORD psql -X -q -h "$DATABASE_SERVICE_HOST" -p "$DATABASE_SERVICE_PORT" -U "$DATABASE_USER" -d "$DATABASE_NAME" -c "
  SELECT s.name AS source, a.credentials ->> 'cluster_id' AS cluster_id, s.org_id,
         CASE WHEN s.paused OR p.paused THEN 'paused' WHEN s.pending_delete THEN 'pending delete'
              WHEN a.credentials <> jsonb_build_object('cluster_id', a.credentials ->> 'cluster_id') THEN 'credentials mismatch'
              ELSE 'active' END AS state
  FROM public.api_sources s JOIN public.api_provider p ON p.uuid = s.provider_id
  JOIN public.api_providerauthentication a ON a.id = p.authentication_id ORDER BY s.source_id"
echo "clusters sending metrics to Thanos (clusterID label values):"
curl -sf "$THANOS_QUERY_URL/api/v1/label/clusterID/values" | python3 -c 'import json,sys; [print("  " + v) for v in json.load(sys.stdin)["data"]]'
echo "demo data ends at $(date -u -d "@$DEMO_DATA_END" '+%Y-%m-%d %H:%M UTC')"

echo
echo "== The bridge's main job"
echo "Delivery (discovery, S3 upload, Kafka announcement) is not built yet; this is what the core pipeline produces."
