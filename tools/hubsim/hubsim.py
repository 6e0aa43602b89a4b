#!/usr/bin/env python3
"""hubsim: how much does the hub-side bill differ from what CMMO would bill on the spoke?

Simulates one cluster-day (30-s truth), derives the spoke's view (every scrape) and the hub's view (what ACM's
metrics-collector forwards: one sample per series per ~5 min, drift, retries, lost cycles), loads both into two local
Prometheus 2.42 servers, runs the bridge's ``once`` against each and compares the cost CSVs.

    tools/hubsim/hubsim.py --seed 1 [--day 2026-11-20] [--by-cause] [--json out.json] [--check]

See tools/hubsim/README.md.
"""

import argparse
import datetime as dt
import json
import math
import os
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.dont_write_bytecode = True          # no __pycache__ in the repository

import bridge      # noqa: E402
import bridgebuild  # noqa: E402  (tools/bridgebuild.py, shared with tools/scalebench)
import collector   # noqa: E402
import compare     # noqa: E402
import model       # noqa: E402
import tsdb        # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
ORG = "1234567"
SPOKE_LOOKBACK_S = 30
VARIANTS = [("no-loss", {"loss": False}, "lost cycles"),
            ("no-drift", {"drift": False}, "drift (forward time: 330-s gaps)"),
            ("no-retries", {"retries": False}, "retries after failed forwards"),
            ("none", {"loss": False, "drift": False, "retries": False}, "residual (all three off)")]


def log(msg):
    print("hubsim: " + msg, file=sys.stderr, flush=True)


def parse_env(pairs, flag):
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise SystemExit("%s expects KEY=VALUE, got %r" % (flag, p))
        k, v = p.split("=", 1)
        out[k] = v
    return out


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--day", default="2026-11-20", help="UTC day to bill (YYYY-MM-DD)")
    g = ap.add_argument_group("metrics-collector model")
    g.add_argument("--interval", type=int, default=300, help="collector interval, seconds")
    g.add_argument("--forward-time", type=float, default=1.0, help="mean duration of a forward, seconds (the drift)")
    g.add_argument("--forward-jitter", type=float, default=0.3, help="standard deviation of the forward time")
    g.add_argument("--retry-prob", type=float, default=0.01, help="probability that a forward attempt fails")
    g.add_argument("--retry-after", type=int, default=60, help="seconds before a failed forward is retried")
    g.add_argument("--loss-fraction", type=float, default=0.015, help="fraction of cycles lost")
    g.add_argument("--loss-burst-max", type=int, default=3, help="lost cycles come in bursts of 1..N")
    g = ap.add_argument_group("bridge")
    g.add_argument("--bridge-dll", help="use this ThanosBridge.dll instead of building one")
    g.add_argument("--bridge-rev", help="build the bridge from this git revision (git archive) instead of the "
                                        "working tree")
    g.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "hubsim-cache"),
                   help="where built bridges are kept (one per source state)")
    g.add_argument("--hub-env", action="append", metavar="KEY=VALUE",
                   help="extra/overriding environment for the hub run (repeatable)")
    g.add_argument("--spoke-env", action="append", metavar="KEY=VALUE",
                   help="extra/overriding environment for the spoke (reference) run (repeatable)")
    g = ap.add_argument_group("run")
    g.add_argument("--by-cause", action="store_true", help="also run the hub side with one effect off at a time")
    g.add_argument("--json", help="write machine-readable results here")
    g.add_argument("--check", action="store_true", help="exit 1 when a goal fails")
    g.add_argument("--workdir", help="scratch directory (default: a new one under /tmp, removed unless --keep)")
    g.add_argument("--keep", action="store_true", help="keep the scratch directory (OpenMetrics, TSDBs, logs)")
    return ap.parse_args(argv)


def params_from(args):
    return collector.Params(interval_s=args.interval, forward_time_s=args.forward_time,
                            forward_jitter_s=args.forward_jitter, retry_prob=args.retry_prob,
                            retry_after_s=args.retry_after, loss_fraction=args.loss_fraction,
                            loss_burst_max=args.loss_burst_max)


def run(args):
    timings = {}
    t_start = time.monotonic()
    day = dt.datetime.strptime(args.day, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    day_ms = int(day.timestamp()) * model.MS
    now = (day + dt.timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    hub_env = parse_env(args.hub_env, "--hub-env")
    spoke_env = parse_env(args.spoke_env, "--spoke-env")

    # ---- the bridge ------------------------------------------------------------------------------------------------
    t0 = time.monotonic()
    dll = args.bridge_dll or bridgebuild.ensure_bridge(REPO, args.cache_dir, args.bridge_rev, log)[0]
    if not os.path.isfile(dll):
        raise SystemExit("no bridge at %s" % dll)
    timings["bridge_build_s"] = time.monotonic() - t0

    # ---- truth, spoke view, hub views ------------------------------------------------------------------------------
    t0 = time.monotonic()
    c = model.build_cluster(args.seed, day_ms)
    truth = model.truth(c)
    params = params_from(args)
    variants = [("baseline", c.id, params, "")]
    if args.by_cause:
        variants += [(name, "%s-%s" % (c.id, name), params.variant(**sw), what) for name, sw, what in VARIANTS]
    timelines = {name: collector.simulate(c, p, args.seed) for name, _, p, _ in variants}
    timings["model_s"] = time.monotonic() - t0

    work = args.workdir or tempfile.mkdtemp(prefix="hubsim-%d-" % args.seed)
    os.makedirs(work, exist_ok=True)
    servers = []
    try:
        t0 = time.monotonic()
        spoke_entries = [(s, s.labels, range(s.i0, s.i1)) for s in c.series]
        spoke_files, spoke_samples = tsdb.write_blocks(spoke_entries, os.path.join(work, "om-spoke"), c.t_lo, c.t_hi)
        hub_entries, hub_samples = [], {}
        for name, cid, p, _ in variants:
            fwd = collector.forwarded_indices(c, timelines[name])
            n = 0
            for s in c.series:
                idx = collector.series_indices(s, fwd)
                labels = s.labels if cid == c.id else dict(s.labels, clusterID=cid)
                hub_entries.append((s, labels, idx))
                n += len(idx)
            hub_samples[name] = n
        hub_files, _ = tsdb.write_blocks(hub_entries, os.path.join(work, "om-hub"), c.t_lo, c.t_hi)
        timings["openmetrics_s"] = time.monotonic() - t0
        log("%d series; spoke %d samples, hub %d samples (baseline) in %s" % (
            len(c.series), spoke_samples, hub_samples["baseline"], work))

        t0 = time.monotonic()
        spoke_db, hub_db = os.path.join(work, "tsdb-spoke"), os.path.join(work, "tsdb-hub")
        tsdb.create_blocks([(f, spoke_db) for f in spoke_files] + [(f, hub_db) for f in hub_files])
        timings["promtool_s"] = time.monotonic() - t0

        t0 = time.monotonic()
        spoke = tsdb.Prometheus("spoke", spoke_db, SPOKE_LOOKBACK_S, work)
        hub = tsdb.Prometheus("hub", hub_db, args.interval, work)
        servers += [spoke, hub]
        spoke.start()
        hub.start()
        timings["prometheus_start_s"] = time.monotonic() - t0
        log("spoke Prometheus %s (lookback %ds), hub Prometheus %s (lookback %ds)" % (
            spoke.url, SPOKE_LOOKBACK_S, hub.url, args.interval))

        env_spoke = dict({"THANOS_BRIDGE_SAMPLE_SOURCE": "prometheus"}, **spoke_env)
        env_hub = dict({"THANOS_BRIDGE_SAMPLE_SOURCE": "metrics-collector",
                        "THANOS_BRIDGE_COLLECTOR_INTERVAL_SECONDS": str(args.interval)}, **hub_env)
        ref_payload, timings["bridge_spoke_s"], _ = bridge.run_once(
            dll, spoke.url, [c.id], ORG, args.day, now, work, env_spoke, "spoke")
        hub_payloads, timings["bridge_hub_s"], _ = bridge.run_once(
            dll, hub.url, [cid for _, cid, _, _ in variants], ORG, args.day, now, work, env_hub, "hub")
    except BaseException:
        failed = True
        raise
    else:
        failed = False
    finally:
        for s in servers:
            s.stop()
        if not args.keep and not args.workdir:
            if failed:                              # keep the logs for the post-mortem, drop the bulk
                for d in ("om-spoke", "om-hub", "tsdb-spoke", "tsdb-hub"):
                    tsdb.remove(os.path.join(work, d))
                log("logs kept in " + work)
            else:
                tsdb.remove(work)

    # ---- comparison -------------------------------------------------------------------------------------------------
    ref = compare.summarize(ref_payload[c.id])
    pods = {(p.ns, p.name): p for p in c.pods}
    ksm = c.targets[0]
    results = {}
    for name, cid, p, what in variants:
        hub_sum = compare.summarize(hub_payloads[cid])
        tl = timelines[name]
        r = compare.compare(ref, hub_sum, c, lambda key: collector.running_statuses(pods[key], ksm, tl))
        r["collector"] = {"cycles_in_day": tl.cycles_in_day, "lost_cycles_in_day": tl.lost_in_day,
                          "lost_fraction": tl.lost_in_day / tl.cycles_in_day if tl.cycles_in_day else 0.0,
                          "failed_attempts_in_day": tl.failed_in_day,
                          "gaps_s_ksm": collector.gap_histogram(c, tl, c.targets[0]),
                          "hub_samples": hub_samples[name], "params": p.describe(), "effect": what}
        r["hub_empty_cells"] = hub_sum["empty_cells"]
        r["reference_empty_cells"] = ref["empty_cells"]
        r["hub_hours"] = hub_sum["hours"]
        results[name] = r
    timings["total_s"] = time.monotonic() - t_start
    doc = {
        "format": "hubsim/1",
        "seed": args.seed, "day": args.day, "cluster_id": c.id,
        "model": {"pods": len(c.pods), "nodes": len(c.nodes), "volumes": len(c.volumes), "series": len(c.series),
                  "spoke_samples": spoke_samples},
        "bridge": {"dll": dll, "hub_env": env_hub, "spoke_env": env_spoke},
        "truth_total": truth["total"],
        "reference_total": ref["total"],
        "reference_hours": ref["hours"],
        "reference_vs_truth": compare.reference_vs_truth(ref, truth),
        "hub_vs_reference": results["baseline"],
        "by_cause": {name: {"effect": r["collector"]["effect"], "cluster_day_pct": r["cluster_day_pct"],
                            "contribution_pct": {col: _minus(results["baseline"]["cluster_day_pct"][col],
                                                             r["cluster_day_pct"][col])
                                                 for col in compare.COLUMNS},
                            "lost_fraction": r["collector"]["lost_fraction"],
                            "missing_on_hub": r["missing_on_hub"]}
                     for name, r in results.items() if name != "baseline"},
        "goals": results["baseline"]["goals"],
        "pass": results["baseline"]["pass"],
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
    }
    return doc


def _minus(a, b):
    if a is None or b is None or abs(a) == float("inf") or abs(b) == float("inf"):
        return None
    return a - b


def render(doc):
    out = []
    w = out.append
    h = doc["hub_vs_reference"]
    col = h["collector"]
    gaps = ", ".join("%ds x%d" % (g, n) for g, n in col["gaps_s_ksm"].items())
    w("hubsim seed %d, day %s, cluster %s: %d pods, %d nodes, %d volumes, %d series, %d spoke samples" % (
        doc["seed"], doc["day"], doc["cluster_id"], doc["model"]["pods"], doc["model"]["nodes"],
        doc["model"]["volumes"], doc["model"]["series"], doc["model"]["spoke_samples"]))
    w("collector: %d cycles in the day, %d lost (%.2f %%), %d failed attempts retried; hub samples %d" % (
        col["cycles_in_day"], col["lost_cycles_in_day"], 100 * col["lost_fraction"], col["failed_attempts_in_day"],
        col["hub_samples"]))
    w("forwarded-sample gaps (kube-state-metrics target, in the day): " + gaps)
    w("hours in the CSVs: reference %d, hub %d" % (doc["reference_hours"], h["hub_hours"]))
    w("")
    rt = doc["reference_vs_truth"]["cluster_day_pct"]
    w("%-45s %12s %12s %12s %12s  %s" % ("cluster-day total", "ref vs truth", "hub vs ref", "pods>=4h med",
                                         "pods>=4h worst", "worst pod"))
    for c in compare.COLUMNS:
        pl = h["pods_long"].get(c)
        w("%-45s %12s %12s %12s %12s  %s" % (
            c, compare.fmt_pct(rt[c], 12), compare.fmt_pct(h["cluster_day_pct"][c], 12),
            ("%.3f%%" % pl["median_abs_pct"]).rjust(12) if pl else "-".rjust(12),
            compare.fmt_pct(pl["worst_pct"], 12) if pl else "-".rjust(12), pl["worst_pod"] if pl else ""))
    w("(ref = bridge on the spoke's 30-s data, hub = bridge on the forwarded data, truth = the model's exact "
      "integral; pods >= 4 h running in the day: %d, median of |error| and worst signed error)" % h["pods_long_count"])
    w("")
    w("shorter pods, worst error per lifetime bucket (hub vs ref):")
    w("%-34s %s" % ("column", "  ".join("%-30s" % b for b, _, _ in compare.BUCKETS)))
    for c in compare.POD_COLUMNS:
        cells = []
        for b, _, _ in compare.BUCKETS:
            e = h["pods_short_worst"][b].get(c)
            cell = "%s %s" % (compare.fmt_pct(e["pct"], 0), e["pod"].split("/")[1][:20]) if e else "-"
            cells.append("%-30s" % cell)
        w("%-34s %s" % (c, "  ".join(cells)))
    w("")
    w("volumes (hub vs ref, day): " + "; ".join(
        "%s %s" % (v["claim"] or pv, "/".join(compare.fmt_pct(e, 0) for e in v["pct"].values()))
        for pv, v in h["per_volume"].items()) + "  (capacity/request/usage)")
    w("")
    if h["missing_on_hub"]:
        w("pods billed in the reference but missing on the hub (no row, or only zero values):")
        for m in h["missing_on_hub"]:
            w("  %-42s ran %-7s (%s in the day), hub: %s; %s" % (
                m["pod"], compare.fmt_dur(m["lifetime_s"]), compare.fmt_dur(m["lifetime_in_day_s"]), m["hub"],
                m["cause"]))
    else:
        w("pods missing on the hub: none")
    if h["extra_on_hub"]:
        w("pods on the hub but not in the reference: " + ", ".join(h["extra_on_hub"]))
    for side, cells in (("reference", h["reference_empty_cells"]), ("hub", h["hub_empty_cells"])):
        if cells:
            w("empty cells in the %s pod CSV (no series for the row in that hour): %s" % (
                side, ", ".join("%s x%d" % kv for kv in sorted(cells.items()))))
    if doc["reference_vs_truth"]["pods_in_truth_not_in_reference"]:
        w("pods in the truth but not in the reference: " +
          ", ".join(doc["reference_vs_truth"]["pods_in_truth_not_in_reference"]))
    if doc["by_cause"]:
        w("")
        w("by cause: hub vs ref cluster-day error with one effect off, and that effect's contribution "
          "(baseline minus variant), percentage points")
        names = list(doc["by_cause"])
        w("%-45s %10s %s" % ("", "", " ".join("%21s" % n for n in names)))
        w("%-45s %10s %s" % ("column", "baseline", " ".join("%10s %10s" % ("error", "effect") for _ in names)))
        for c in compare.COLUMNS:
            cells = []
            for n in names:
                bc = doc["by_cause"][n]
                cells.append("%10s %10s" % (compare.fmt_pct(bc["cluster_day_pct"][c], 10),
                                            compare.fmt_pct(bc["contribution_pct"][c], 10)))
            w("%-45s %10s %s" % (c, compare.fmt_pct(h["cluster_day_pct"][c], 10), " ".join(cells)))
        w("(%s)" % "; ".join("%s: %s, lost %.2f %%, missing pods %d" % (
            n, b["effect"], 100 * b["lost_fraction"], len(b["missing_on_hub"])) for n, b in doc["by_cause"].items()))
    w("")
    g = doc["goals"]
    w("goals: cluster-day within +-0.5 %%: %s (worst %.3f %%); pods >= 4 h within +-2 %%: %s (worst %.3f %%); "
      "no pod >= 15 min missing unless lost: %s%s" % (
          "PASS" if g["cluster_day_within_0.5pct"]["pass"] else "FAIL", g["cluster_day_within_0.5pct"]["worst_abs_pct"],
          "PASS" if g["pods_4h_within_2pct"]["pass"] else "FAIL", g["pods_4h_within_2pct"]["worst_abs_pct"],
          "PASS" if g["no_missing_pods_15m"]["pass"] else "FAIL",
          "" if g["no_missing_pods_15m"]["pass"] else " (%s)" % ", ".join(g["no_missing_pods_15m"]["pods"])))
    w("timings: " + ", ".join("%s %.1f" % kv for kv in doc["timings_s"].items()))
    return "\n".join(out)


def main(argv=None):
    args = parse_args(argv)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)          # unwinds through the finally that stops the servers
    signal.signal(signal.SIGTERM, on_signal)
    try:
        doc = run(args)
    except RuntimeError as e:
        print("hubsim: error: %s" % e, file=sys.stderr)
        return 2
    print(render(doc))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(_finite(doc), f, indent=1, sort_keys=True, allow_nan=False)
            f.write("\n")
    return 1 if args.check and not doc["pass"] else 0


def _finite(o):
    """JSON has no infinity: an error against a zero reference is written as the string "new"."""
    if isinstance(o, float) and math.isinf(o):
        return "new"
    if isinstance(o, dict):
        return {str(k): _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    return o


if __name__ == "__main__":
    sys.exit(main())
