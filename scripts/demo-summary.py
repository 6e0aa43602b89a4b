#!/usr/bin/env python3
"""Reads back what the bridge delivered: every announcement on platform.upload.announce (as `kcat -J` prints them)
and, through each message's pre-signed URL, the payload it points at. Prints one block per payload.

Usage: kcat -C -J -e -o beginning -t platform.upload.announce -b BOOTSTRAP | scripts/demo-summary.py [KEY_PREFIX [CONFIRMATIONS]]

Only payloads whose object key starts with KEY_PREFIX (THANOS_BRIDGE_S3_PREFIX, default thanos-bridge) are shown: the
local broker also holds the tests' messages. CONFIRMATIONS is a file of "uuid koku_status reannouncements" lines (the
ledger's delivery confirmation, thanos_bridge.snapshots): each payload then shows what koku did with it. A snapshot
announced more than once (same uuid, fresh URL) is shown once, from its newest announcement.
"""
import io
import json
import sys
import tarfile
import urllib.parse
import urllib.error
import urllib.request


def main():
    prefix = (sys.argv[1] if len(sys.argv) > 1 else "thanos-bridge").strip("/") + "/"
    confirmations = {}
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            for line in f:
                if line.strip():
                    uuid, status, again = line.split()
                    confirmations[uuid] = (status, int(again))
    messages = []
    for line in sys.stdin:
        if line.strip().startswith("{"):
            m = json.loads(line)
            m["value"] = json.loads(m["payload"])
            if urllib.parse.urlparse(m["value"]["url"]).path.split("/", 2)[-1].startswith(prefix):
                messages.append(m)
    # A re-announced snapshot (same request id) is shown once, from its newest message.
    messages = list({m["value"]["request_id"]: m for m in messages}.values())
    if not messages:
        # Not a failure by itself: the local broker keeps messages only while it runs, so after `scripts/stack.sh down`
        # a rerun whose clusters are all up to date (the ledger is kept) has nothing to show; `once` reports failures.
        print(f"no announcements of payloads under {prefix} on platform.upload.announce (the local broker keeps them only "
              "while it runs; what was delivered earlier is in the ledger, thanos_bridge.snapshots)")
        return 0
    print(f"{len(messages)} announcement(s) of payloads under {prefix} on platform.upload.announce")
    failures = 0
    totals = {"bytes": 0, "rows": 0, "clusters": set(), "completed": 0}
    for m in messages:
        headers = m.get("headers") or []
        value = m["value"]
        url = value["url"]
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # koku's listener: a plain GET, no credentials
                payload = response.read()
        except urllib.error.URLError as e:
            print(f"- cluster {m['key']}: download failed ({e}); a pre-signed URL expires after THANOS_BRIDGE_PRESIGN_EXPIRY_HOURS")
            failures += 1
            continue
        with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as tar:
            members = tar.getmembers()
            manifest = json.load(tar.extractfile("manifest.json"))
            rows = {}
            for member in members:
                if member.name != "manifest.json":
                    lines = tar.extractfile(member).read().decode().count("\n")
                    rows[member.name[37:].rsplit(".", 2)[0]] = lines - 1
        key = urllib.parse.urlparse(url).path.lstrip("/")
        print(f"- cluster {m['key']}  org {value['org_id']}  headers {headers}  partition {m['partition']} offset {m['offset']}")
        print(f"  day {manifest['start'][:10]}  {manifest['start'][11:16]}-{manifest['end'][11:19]}  uuid {manifest['uuid']}  "
              f"{len(payload)} bytes  s3://{key}")
        print("  rows " + "  ".join(f"{name}={count}" for name, count in sorted(rows.items())))
        if confirmations:
            status, again = confirmations.get(manifest["uuid"], ("not in the ledger", 0))
            print(f"  koku: {status}" + (f" (announced again {again} time(s))" if again else "")
                  + (" (reporting_common_costusagereportmanifest/status)" if status == "completed" else ""))
            totals["completed"] += status == "completed"
        totals["bytes"] += len(payload)
        totals["rows"] += sum(rows.values())
        totals["clusters"].add(m["key"])
    print(f"total: {len(messages) - failures} payload(s) for {len(totals['clusters'])} cluster(s), {totals['bytes']} bytes, "
          f"{totals['rows']} CSV rows" + (f", {totals['completed']} completed by koku" if confirmations else "")
          + (f"; {failures} download(s) failed" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
