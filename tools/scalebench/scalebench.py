#!/usr/bin/env python3
"""Scale benchmark of the bridge's ``once`` against a hub-like Prometheus (figures only, no assertions).

    scalebench.py [--quick] [--runs 2000x1,200x10] [--hub-env K=V ...] [--bridge-dll DLL | --bridge-rev REV]

Each run is PODSxCLUSTERS: CLUSTERS clusters of PODS pods each, one UTC day, delivered by one ``once`` in embedded
mode through a logging proxy; the recorded requests are then replayed against Prometheus directly at the bridge's
concurrency. See README.md beside this file.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree

import bridge     # noqa: E402
import hub        # noqa: E402
import localprom  # noqa: E402  (tools/localprom.py; bridge and hub put tools/ on the path)
import procstat   # noqa: E402
import replay     # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FULL = "200x1,1000x1,2000x1,200x10,200x40"
QUICK = "200x1,200x4"
ORG = "1234567"


def parse_runs(text):
    runs = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        try:
            pods, clusters = (int(x) for x in part.split("x"))
        except ValueError:
            raise SystemExit("--runs: %r is not PODSxCLUSTERS (e.g. 2000x1,200x10)" % part)
        if pods < 10 or clusters < 1:
            raise SystemExit("--runs: %r: at least 10 pods and 1 cluster" % part)
        if (pods, clusters) not in runs:
            runs.append((pods, clusters))
    if not runs:
        raise SystemExit("--runs: no run given")
    return runs


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


class Proxy:
    def __init__(self, upstream, log_path):
        self.log_path = log_path
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "proxy.py"), "--upstream", upstream,
                                      "--log", log_path], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError("the proxy did not start: %r" % line)
        self.port = int(line.split()[1])

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def stop(self):
        p, self.proc = self.proc, None
        localprom.stop(p)

    def records(self):
        out = []
        with open(self.log_path) as f:
            for line in f:
                if line.strip():
                    out.append(json.loads(line))
        out.sort(key=lambda r: r["t0"])
        return out


def request_params(rec):
    q = dict(urllib.parse.parse_qsl(rec.get("body") or ""))
    if "?" in rec["path"]:
        q.update(urllib.parse.parse_qsl(rec["path"].split("?", 1)[1]))
    return q


def name_requests(records, catalog):
    """Adds "name", "set" and "cluster" to each record (catalog names when the expression matches)."""
    by_expr = {}
    for name, qset, norm in catalog:
        by_expr.setdefault(norm, (name, qset))
    for r in records:
        q = request_params(r)
        expr = q.get("query")
        path = r["path"].split("?", 1)[0]
        if expr is None:
            r["name"], r["set"], r["cluster"] = path.rsplit("/api/v1/", 1)[-1], "other", ""
            continue
        r["cluster"] = bridge.cluster_of(expr)
        hit = by_expr.get(bridge.normalize(expr))
        if hit:
            r["name"], r["set"] = hit
        else:
            text = bridge.normalize(expr)
            r["name"], r["set"] = (text[:60] + ("..." if len(text) > 60 else "")), "?"


def busy_seconds(records):
    """Length of the union of the requests' [start, end]: time with at least one request in flight."""
    total, cur_lo, cur_hi = 0.0, None, None
    for r in sorted((r for r in records if "t1" in r), key=lambda r: r["t0"]):
        if cur_hi is None or r["t0"] > cur_hi:
            if cur_hi is not None:
                total += cur_hi - cur_lo
            cur_lo, cur_hi = r["t0"], r["t1"]
        else:
            cur_hi = max(cur_hi, r["t1"])
    if cur_hi is not None:
        total += cur_hi - cur_lo
    return total


def overlap_stats(records):
    events = []
    for r in records:
        if "t1" in r:
            events.append((r["t0"], 1))
            events.append((r["t1"], -1))
    events.sort()
    cur = peak = 0
    for _, d in events:
        cur += d
        peak = max(peak, cur)
    return peak


def bridge_summary(output):
    delivered = failed = 0
    rows = {}
    for line in output.splitlines():
        s = line.strip()
        if s.startswith("cluster ") and ": " in s:
            if ": delivered" in s or ": up to date" in s:
                delivered += 1
            elif "FAILED" in s:
                failed += 1
        if " rows " in s:
            for kv in s.split(" rows ", 1)[1].split():
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    try:
                        rows[k] = rows.get(k, 0) + int(v)
                    except ValueError:
                        pass
    return delivered, failed, rows


def fmt_mb(b):
    return "%.1f" % (b / 1e6)


def run_one(args, prom, meta, pods, nclusters, dll, catalog, workdir, hub_env, restart_prometheus):
    tag = "p%d-x%d" % (pods, nclusters)
    clusters = [c["id"] for c in meta["cluster_summaries"][:nclusters]]
    day = args.day
    now = (dt.datetime.strptime(day, "%Y-%m-%d") + dt.timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    proxy = Proxy(prom.url, os.path.join(workdir, "requests-%s.jsonl" % tag))
    before = {}

    def snapshot():
        before.update(prom=procstat.cpu_seconds(prom.pid), proxy=procstat.cpu_seconds(proxy.proc.pid),
                      sys=procstat.system_busy_seconds(), me=sum(os.times()[:2]))
    try:
        log("run %d pods x %d cluster(s): bridge once ..." % (pods, nclusters))
        res = bridge.run_once(dll, proxy.url, clusters, ORG, day, now, workdir, hub_env, tag, on_start=snapshot)
        after = dict(prom=procstat.cpu_seconds(prom.pid), proxy=procstat.cpu_seconds(proxy.proc.pid),
                     sys=procstat.system_busy_seconds(), me=sum(os.times()[:2]))
    finally:
        proxy.stop()
    prom_cpu = after["prom"] - before["prom"]
    proxy_cpu = after["proxy"] - before["proxy"]
    other_cpu = (after["sys"] - before["sys"]) - res["cpu_s"] - prom_cpu - proxy_cpu - (after["me"] - before["me"])
    records = proxy.records()
    name_requests(records, catalog)
    delivered, failed, rows = bridge_summary(res["output"])
    errors = sum(1 for r in records if r.get("status") != 200 or r.get("error"))

    env = res["env"]

    def setting(name, default):
        # the bridge's own view (check-config: its defaults included), else the environment passed, else default
        for source in (res["settings"], env):
            try:
                return int(source[name])
            except (KeyError, ValueError):
                pass
        return default
    par_clusters = setting("THANOS_BRIDGE_MAX_PARALLEL_CLUSTERS", 4)
    par_queries = setting("THANOS_BRIDGE_MAX_PARALLEL_QUERIES", 1)
    concurrency = max(1, min(nclusters, par_clusters) * par_queries)
    rp_wall, rp = None, []
    rp_prom_cpu = None
    if not args.no_replay and records:
        log("run %d pods x %d cluster(s): replaying %d requests at concurrency %d ..." % (
            pods, nclusters, len(records), concurrency))
        # Through a logging proxy like the bridge's requests, so that both sides pay for the same relay (the proxy
        # inflates every answer to count its JSON bytes, on the bridge's cores).
        if not args.same_prometheus:
            # The replay gets a Prometheus as fresh as the bridge's: a Prometheus that has just answered the same
            # queries is warmer (Go heap grown, chunks and postings touched) and needed ~10 % less CPU for them.
            restart_prometheus()
        rp_proxy = None if args.replay_direct else Proxy(prom.url, os.path.join(workdir, "replay-%s.jsonl" % tag))
        c0 = procstat.cpu_seconds(prom.pid)
        try:
            rp_wall, rp = replay.replay(rp_proxy.url if rp_proxy else prom.url, records, concurrency)
        finally:
            if rp_proxy:
                rp_proxy.stop()
        rp_prom_cpu = procstat.cpu_seconds(prom.pid) - c0
        for r, x in zip(records, rp):
            r["replay_s"] = x["seconds"] if x else None
            r["replay_ttfb"] = x["ttfb"] if x else None

    by_name = {}
    for r in records:
        g = by_name.setdefault(r["name"], {"name": r["name"], "set": r["set"], "n": 0, "ttfb_s": 0.0, "dur_s": 0.0,
                                           "replay_s": 0.0, "replay_ttfb_s": 0.0, "bytes": 0, "json_bytes": 0})
        g["n"] += 1
        g["ttfb_s"] += r.get("ttfb") or 0
        g["dur_s"] += (r["t1"] - r["t0"]) if "t1" in r else 0
        g["replay_s"] += r.get("replay_s") or 0
        g["replay_ttfb_s"] += r.get("replay_ttfb") or 0
        g["bytes"] += r.get("bytes") or 0
        g["json_bytes"] += r.get("json_bytes") or 0
    by_set = {}
    for g in by_name.values():
        s = by_set.setdefault(g["set"], {"set": g["set"], "n": 0, "ttfb_s": 0.0, "dur_s": 0.0, "replay_ttfb_s": 0.0,
                                         "json_bytes": 0})
        for k in ("n", "ttfb_s", "dur_s", "replay_ttfb_s", "json_bytes"):
            s[k] += g[k]
    span = (records[-1]["t1"] - records[0]["t0"]) if records and "t1" in records[-1] else 0
    result = {
        "run": "%dx%d" % (pods, nclusters), "pods": pods, "clusters": nclusters, "hub": meta["key"],
        "hub_clusters": meta["clusters"], "exit": res["exit"], "delivered": delivered, "failed": failed,
        "rows": rows, "payloads": res["payloads"], "payload_bytes": res["payload_bytes"],
        # The kernel's high-water mark of the bridge's own memory (VmHWM, read until it exits). Not wait4's ru_maxrss:
        # Linux carries that across fork and execve, so it is at least this script's own RSS when it started the bridge
        # (240 MB after a 10-cluster hub, whatever the bridge used).
        "wall_s": round(res["wall_s"], 2),
        "peak_rss_mb": round((res["polled_hwm_kb"] or res["maxrss_kb"]) / 1024, 1),
        "rusage_maxrss_mb": round(res["maxrss_kb"] / 1024, 1),
        "polled_hwm_mb": round(res["polled_hwm_kb"] / 1024, 1), "bridge_cpu_s": round(res["cpu_s"], 2),
        "bridge_user_s": round(res["user_s"], 2), "bridge_sys_s": round(res["sys_s"], 2),
        "prom_cpu_s": round(prom_cpu, 2), "proxy_cpu_s": round(proxy_cpu, 2), "other_cpu_s": round(other_cpu, 2),
        "requests": len(records), "request_errors": errors, "mb_received": round(sum(r.get("bytes") or 0
                                                                                  for r in records) / 1e6, 2),
        "mb_json": round(sum(r.get("json_bytes") or 0 for r in records) / 1e6, 2),
        "sum_ttfb_s": round(sum(r.get("ttfb") or 0 for r in records), 2),
        "sum_request_s": round(sum((r["t1"] - r["t0"]) for r in records if "t1" in r), 2),
        "request_span_s": round(span, 2), "peak_concurrency": overlap_stats(records),
        # the bridge's fixed costs around its queries: process start to its first request (runtime, settings, the
        # ledger's first use, planning) and its last answer to its exit (packaging, the ledger's writes, shutdown)
        "start_s": round(min(r["t0"] for r in records) - res["started_at"], 2) if records else None,
        "finish_s": round(res["ended_at"] - max(r.get("t1", r["t0"]) for r in records), 2) if records else None,
        "no_request_in_flight_s": round(res["wall_s"] - busy_seconds(records), 2),
        "replay_concurrency": concurrency, "max_parallel_clusters": par_clusters,
        "max_parallel_queries": par_queries, "replay_wall_s": round(rp_wall, 2) if rp_wall is not None else None,
        "replay_prom_cpu_s": round(rp_prom_cpu, 2) if rp_prom_cpu is not None else None,
        "replay_sum_ttfb_s": round(sum((x or {}).get("ttfb") or 0 for x in rp), 2) if rp else None,
        "replay_errors": sum(1 for x in rp if not x or x.get("status") != 200) if rp else None,
        "ratio": round(res["wall_s"] / rp_wall, 2) if rp_wall else None,
        # the queries' part of the wall (first request sent to last answer read): without .NET start-up and packaging
        "span_ratio": round(span / rp_wall, 2) if rp_wall and span else None,
        # both walls per second of Prometheus CPU spent in them: Prometheus's CPU for the same queries varied by
        # +-25 % from one run to the next on this machine kind, and that alone moved "ratio" as much; pinned (one core
        # for Prometheus) this is the bridge run's idle share of Prometheus against the replay's
        "busy_ratio": round((res["wall_s"] / prom_cpu) / (rp_wall / rp_prom_cpu), 2)
        if rp_wall and rp_prom_cpu and prom_cpu > 0 else None,
        "by_set": sorted(by_set.values(), key=lambda s: -(s["replay_ttfb_s"] or s["ttfb_s"])),
        "by_query": sorted(by_name.values(), key=lambda g: -(g["replay_ttfb_s"] or g["ttfb_s"])),
        "bridge_log": res["log"], "requests_log": proxy.log_path,
        "env": {k: v for k, v in sorted(env.items()) if k.startswith("THANOS_") and k != "THANOS_BRIDGE_CLUSTERS"},
    }
    print_run(result, args.top)
    if res["exit"] != 0:
        tail = "\n".join(res["output"].splitlines()[-15:])
        log("the bridge exited with %d; its output ends with:\n%s" % (res["exit"], tail))
    return result


def print_run(r, top):
    print()
    print("== %s pods x %d cluster(s) (hub %s: %d cluster(s))" % (r["pods"], r["clusters"], r["hub"],
                                                                    r["hub_clusters"]))
    print("   bridge: exit %d, %d delivered, %d failed, %d payload(s) %.1f MB, rows %s" % (
        r["exit"], r["delivered"], r["failed"], r["payloads"], r["payload_bytes"] / 1e6,
        " ".join("%s=%d" % kv for kv in sorted(r["rows"].items())) or "-"))
    print("   wall %.1f s, peak RSS %.0f MB (VmHWM; wait4's ru_maxrss %.0f MB includes this script's), CPU %.1f s (user %.1f, sys %.1f)" % (
        r["wall_s"], r["peak_rss_mb"], r["rusage_maxrss_mb"], r["bridge_cpu_s"], r["bridge_user_s"], r["bridge_sys_s"]))
    print("   Prometheus CPU %.1f s, proxy CPU %.1f s, other processes' CPU %.1f s (%.2f cores)" % (
        r["prom_cpu_s"], r["proxy_cpu_s"], r["other_cpu_s"], r["other_cpu_s"] / max(r["wall_s"], 1e-9)))
    print("   %d requests (%d not 200), %.1f MB received (%.1f MB JSON), peak %d in flight; "
          "sum of request times %.1f s (time to first byte %.1f s); no request in flight for %.1f s of the wall" % (
              r["requests"], r["request_errors"], r["mb_received"], r["mb_json"], r["peak_concurrency"],
              r["sum_request_s"], r["sum_ttfb_s"], r["no_request_in_flight_s"]))
    if r.get("start_s") is not None:
        print("   start-up (process start to first request) %.2f s, finish (last answer to exit) %.2f s, queries %.2f s" % (
            r["start_s"], r["finish_s"], r["request_span_s"]))
    if r["replay_wall_s"] is not None:
        print("   replay alone at concurrency %d (min(clusters, %d) x %d queries): %.1f s (Prometheus CPU %.1f s, "
              "%d errors); bridge / replay = %.2f; first request to last answer / replay = %s; per Prometheus CPU second = %s" % (
                  r["replay_concurrency"], r["max_parallel_clusters"], r["max_parallel_queries"], r["replay_wall_s"],
                  r["replay_prom_cpu_s"], r["replay_errors"], r["ratio"],
                  "-" if r.get("span_ratio") is None else "%.2f" % r["span_ratio"],
                  "-" if r.get("busy_ratio") is None else "%.2f" % r["busy_ratio"]))
    key = "replay_ttfb_s" if r["replay_wall_s"] is not None else "ttfb_s"
    total = sum(s[key] for s in r["by_set"]) or 1e-9
    print("   Prometheus time by query set (%s): %s" % (
        "replay" if key == "replay_ttfb_s" else "bridge", ", ".join(
            "%s %.0f%%" % (s["set"], 100 * s[key] / total) for s in r["by_set"] if s[key] / total >= 0.005)))
    print("   %-44s %5s %9s %9s %9s %8s" % ("top queries by Prometheus time", "n", "prom s", "bridge s", "MB JSON",
                                            "share"))
    for g in r["by_query"][:top]:
        print("   %-44s %5d %9.2f %9.2f %9.1f %7.1f%%" % (g["name"][:44], g["n"], g[key], g["dur_s"],
                                                        g["json_bytes"] / 1e6, 100 * g[key] / total))
    sys.stdout.flush()


def print_table(results, version, note):
    print()
    print("Scale benchmark: bridge %s" % version)
    if note:
        print(note)
    head = ("run", "hub", "wall s", "RSS MB", "CPU s", "Prom CPU s", "other CPU s", "requests", "MB recv",
            "MB JSON", "start s", "finish s", "replay s", "ratio", "q-ratio", "b-ratio")
    fmt = "%-10s %-8s %8s %8s %8s %10s %11s %9s %8s %8s %8s %9s %9s %6s %7s %7s"
    print(fmt % head)
    for r in results:
        if r.get("error"):
            print("%-10s %s" % (r["run"], "ERROR: " + r["error"][:100]))
            continue
        print(fmt % ("%dx%d" % (r["pods"], r["clusters"]), "x%d" % r["hub_clusters"], "%.1f" % r["wall_s"],
                     "%.0f" % r["peak_rss_mb"], "%.1f" % r["bridge_cpu_s"], "%.1f" % r["prom_cpu_s"],
                     "%.1f" % r["other_cpu_s"], r["requests"], "%.1f" % r["mb_received"], "%.1f" % r["mb_json"],
                     "-" if r.get("start_s") is None else "%.2f" % r["start_s"],
                     "-" if r.get("finish_s") is None else "%.2f" % r["finish_s"],
                     "-" if r["replay_wall_s"] is None else "%.1f" % r["replay_wall_s"],
                     "-" if r["ratio"] is None else "%.2f" % r["ratio"],
                     "-" if r.get("span_ratio") is None else "%.2f" % r["span_ratio"],
                     "-" if r.get("busy_ratio") is None else "%.2f" % r["busy_ratio"]) +
              ("" if r["exit"] == 0 else "  (exit %d)" % r["exit"]))
    print("run = pods x clusters; hub = clusters the hub's TSDB holds; RSS = the bridge's peak resident set; "
          "CPU = the bridge's user+sys; other CPU = every other process on the machine during the run; "
          "MB recv = response bytes on the wire (gzip), MB JSON = decompressed; start = the bridge's process start to its "
          "first request; finish = its last answer to its exit; ratio = bridge wall / replay wall; "
          "q-ratio = the bridge's first request to its last answer / replay wall (without start-up and packaging); "
          "b-ratio = ratio with each wall divided by Prometheus's CPU seconds in it (robust to Prometheus's speed "
          "changing between the two runs; with --pin, how much longer Prometheus sat idle in the bridge run)")


def main():
    ap = argparse.ArgumentParser(description="Scale benchmark of the bridge's once (figures, no assertions).")
    ap.add_argument("--quick", action="store_true", help="only %s" % QUICK)
    ap.add_argument("--runs", help="PODSxCLUSTERS,... (default %s)" % FULL)
    ap.add_argument("--hub-env", action="append", default=[], metavar="K=V", help="extra bridge environment")
    ap.add_argument("--bridge-dll", help="a built ThanosBridge.dll (default: build the working tree)")
    ap.add_argument("--bridge-rev", help="build this git revision instead of the working tree")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--day", default="2026-11-20", help="the UTC day delivered (default %(default)s)")
    ap.add_argument("--separate-hubs", action="store_true",
                    help="one TSDB per run holding exactly its clusters (default: runs of the same pod count share "
                         "one TSDB holding the most clusters any of them needs, or the smallest cached one that "
                         "holds at least as many)")
    ap.add_argument("--no-replay", action="store_true", help="skip the replay (no ratio)")
    ap.add_argument("--same-prometheus", action="store_true",
                    help="replay on the Prometheus that has just answered the bridge, not on a freshly started one")
    ap.add_argument("--replay-direct", action="store_true",
                    help="replay straight to Prometheus instead of through a logging proxy like the bridge's requests")
    ap.add_argument("--pin", action="store_true",
                    help="Prometheus on CPU 0, the bridge, proxy and replay on the others (no competition for cores)")
    ap.add_argument("--generate-only", action="store_true", help="only generate (cache) the hubs the runs need")
    ap.add_argument("--top", type=int, default=8, help="queries listed per run (default %(default)s)")
    ap.add_argument("--cache-dir", default="/tmp/scalebench-cache")
    ap.add_argument("--workdir", help="scratch directory (default: a new one under /tmp, removed at the end)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory (logs, request logs)")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()
    if args.bridge_dll and args.bridge_rev:
        raise SystemExit("--bridge-dll and --bridge-rev exclude each other")
    runs = parse_runs(args.runs or (QUICK if args.quick else FULL))
    if args.pin:
        cpus = os.sched_getaffinity(0)
        if 0 not in cpus or len(cpus) < 2:
            raise SystemExit("--pin needs CPU 0 and at least one other CPU")
        # this process and everything it starts (bridge, proxy, replay) keep off CPU 0; Prometheus is moved onto it
        os.sched_setaffinity(0, cpus - {0})
    hub_env = {}
    for kv in args.hub_env:
        k, sep, v = kv.partition("=")
        if not sep or not k:
            raise SystemExit("--hub-env: %r is not K=V" % kv)
        hub_env[k] = v
    try:
        dt.datetime.strptime(args.day, "%Y-%m-%d")
    except ValueError:
        raise SystemExit("--day: %r is not YYYY-MM-DD" % args.day)

    # which TSDB each run uses
    if args.separate_hubs:
        hubs = {(p, c): (p, c) for p, c in runs}
    else:
        most = {}
        for p, c in runs:
            most[p] = max(most.get(p, 0), c)
        for p in most:
            most[p] = hub.cached_hub_clusters(args.cache_dir, p, most[p], args.seed, args.day) or most[p]
        hubs = {(p, c): (p, most[p]) for p, c in runs}
    order = []
    for run in runs:
        if hubs[run] not in order:
            order.append(hubs[run])

    os.makedirs(args.cache_dir, exist_ok=True)
    workdir = args.workdir or tempfile.mkdtemp(prefix="scalebench-", dir="/tmp")
    os.makedirs(workdir, exist_ok=True)
    t_start = time.monotonic()
    log("scratch %s, cache %s; runs %s; load average %.2f %.2f %.2f" % (
        (workdir, args.cache_dir, ",".join("%dx%d" % r for r in runs)) + os.getloadavg()))
    if args.generate_only:
        dll, version, catalog = None, "-", []
    elif args.bridge_dll:
        dll = os.path.abspath(args.bridge_dll)
        if not os.path.exists(dll):
            raise SystemExit("--bridge-dll: %s does not exist" % dll)
        version = "%s (given dll; repository at %s)" % (dll, bridge._git(REPO, "describe", "--always", "--tags",
                                                                          "--dirty"))
    else:
        dll, version = bridge.ensure_bridge(REPO, args.cache_dir, args.bridge_rev, log=log)
    if dll:
        log("bridge: %s" % version)
        catalog = bridge.catalog_names(dll, args.cache_dir, log=log)

    results, prom, failed = [], None, False

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    gen, linked = {}, {}
    try:
        for run in runs:
            hp, hc = hubs[run]
            t0 = time.monotonic()
            tsdb_dir, meta = hub.ensure_tsdb(args.cache_dir, hp, hc, args.seed, args.day, log)
            if meta["key"] not in gen:
                gen[meta["key"]] = {"wall_s": round(time.monotonic() - t0, 1), "generate_s": meta["generate_s"],
                                    "promtool_s": meta["promtool_s"], "samples": meta["samples"],
                                    "series": meta["series"]}
            if args.generate_only:
                continue
            # a fresh Prometheus for every run (nothing carried over), on a hard-linked copy of the cached TSDB
            hub_dir = os.path.join(workdir, "hub-" + meta["key"])
            prom = hub.Prometheus(tsdb_dir, hub_dir, fresh=hub_dir not in linked)
            linked[hub_dir] = True

            def start_prometheus(p=prom):
                p.start()
                if args.pin:
                    subprocess.run(["taskset", "-a", "-cp", "0", str(p.pid)], check=True, stdout=subprocess.DEVNULL)
                p.warm()

            def restart_prometheus(p=prom):
                p.stop()
                start_prometheus(p)
            start_prometheus()
            try:
                results.append(run_one(args, prom, meta, run[0], run[1], dll, catalog, workdir, hub_env,
                                       restart_prometheus))
            except Exception as e:              # one run's failure does not stop the others
                failed = True
                log("run %dx%d failed: %r" % (run[0], run[1], e))
                results.append({"run": "%dx%d" % run, "pods": run[0], "clusters": run[1], "error": repr(e)})
            finally:
                prom.stop()
                prom = None
    except KeyboardInterrupt:
        failed = True
        log("interrupted")
    finally:
        if prom is not None:
            prom.stop()
        for d in linked:
            shutil.rmtree(os.path.join(d, "tsdb"), ignore_errors=True)
    total = time.monotonic() - t_start
    note = "seed %s, day %s; hub data generation: %s; total %.0f s" % (args.seed, args.day, "; ".join(
        "%s %.1f M samples %.0f s%s" % (k, g["samples"] / 1e6, g["generate_s"] + g["promtool_s"],
                                         " (cached)" if g["wall_s"] < 5 else "") for k, g in gen.items()), total)
    if hub_env:
        note += "; extra env " + " ".join("%s=%s" % kv for kv in sorted(hub_env.items()))
    if args.pin:
        note += "; pinned: Prometheus on CPU 0, the rest on the others"
    print_table(results, version, note)
    doc = {"format": "scalebench/1", "bridge": version, "seed": args.seed, "day": args.day, "hub_env": hub_env, "pinned": args.pin,
           "generation": gen, "total_s": round(total, 1), "results": results}
    with open(os.path.join(workdir, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
    if args.keep or failed or any(r.get("exit") for r in results):
        log("kept %s (logs, request logs, results.json)" % workdir)
    elif not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
