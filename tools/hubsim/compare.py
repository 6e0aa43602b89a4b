"""Comparison of the bridge's CSVs: hub side vs spoke reference, and spoke reference vs the physical truth."""

import statistics

from bridge import NODE_COLUMNS, POD_COLUMNS, STORAGE_COLUMNS
from model import MS

COLUMNS = POD_COLUMNS + NODE_COLUMNS + STORAGE_COLUMNS
BUCKETS = [("<15m", 0, 15 * 60), ("15m-1h", 15 * 60, 3600), ("1h-4h", 3600, 4 * 3600)]
LONG_POD_S = 4 * 3600
MISSING_MIN_S = 15 * 60
GOAL_CLUSTER_PCT = 0.5
GOAL_POD_PCT = 2.0


def _f(v):
    return float(v) if v not in (None, "") else 0.0


def summarize(payload):
    """Cluster-day totals, per-pod day totals, per-volume day totals of one payload."""
    pods, node_hours, vols = {}, {}, {}
    empty = {}
    for row in payload["pod"]:
        key = (row["namespace"], row["pod"])
        acc = pods.setdefault(key, dict.fromkeys(POD_COLUMNS, 0.0))
        for col in POD_COLUMNS:
            if row.get(col, "") == "":
                empty[col] = empty.get(col, 0) + 1
            acc[col] += _f(row.get(col))
        nh = (row["node"], row["interval_start"])
        if nh not in node_hours:               # node capacity repeats on every pod row of the node: once per hour
            node_hours[nh] = {col: _f(row.get(col)) for col in NODE_COLUMNS}
    claims = {}
    for row in payload["storage"]:
        if row.get("persistentvolumeclaim"):
            claims[row["persistentvolume"]] = "%s/%s" % (row.get("namespace", ""), row["persistentvolumeclaim"])
        acc = vols.setdefault(row["persistentvolume"], dict.fromkeys(STORAGE_COLUMNS, 0.0))
        for col in STORAGE_COLUMNS:
            acc[col] += _f(row.get(col))
    total = dict.fromkeys(COLUMNS, 0.0)
    for group in (pods, node_hours, vols):
        for row in group.values():
            for k, v in row.items():
                total[k] += v
    nodes = {}
    for (node, _), row in node_hours.items():
        acc = nodes.setdefault(node, dict.fromkeys(NODE_COLUMNS, 0.0))
        for k, v in row.items():
            acc[k] += v
    return {"total": total, "pods": pods, "nodes": nodes, "volumes": vols, "claims": claims, "empty_cells": empty,
            "hours": len({r["interval_start"] for r in payload["pod"]})}


def pct(new, ref):
    if ref == 0:
        return None if new == 0 else float("inf")
    return (new - ref) / ref * 100.0


def compare(ref, hub, cluster, statuses_of):
    """ref, hub: summarize() results. statuses_of((ns, pod)): the statuses of the collector attempts that would have
    carried a sample of the pod while it ran (see collector.running_statuses)."""
    lifetime = {(p.ns, p.name): (p.running_hi - p.running_lo) / MS for p in cluster.pods}
    in_day = {(p.ns, p.name): max(0, min(p.running_hi, cluster.day_hi) - max(p.running_lo, cluster.day_lo)) / MS
              for p in cluster.pods}
    res = {"cluster_day_pct": {c: pct(hub["total"][c], ref["total"][c]) for c in COLUMNS}}

    # per pod (pod columns only; node capacity is per node)
    long_errs = {c: [] for c in POD_COLUMNS}
    bucket_worst = {b[0]: {} for b in BUCKETS}
    per_pod = {}
    for key, rrow in sorted(ref["pods"].items()):
        hrow = hub["pods"].get(key)
        if hrow is None:
            continue
        life = in_day.get(key, 0)
        errs = {c: pct(hrow[c], rrow[c]) for c in POD_COLUMNS}
        per_pod["%s/%s" % key] = {"lifetime_in_day_s": life, "pct": errs}
        if life >= LONG_POD_S:
            for c, e in errs.items():
                if e is not None:
                    long_errs[c].append((abs(e), e, key))
        else:
            b = next(name for name, lo, hi in BUCKETS if lo <= life < hi)
            for c, e in errs.items():
                if e is not None and (c not in bucket_worst[b] or abs(e) > abs(bucket_worst[b][c][0])):
                    bucket_worst[b][c] = (e, "%s/%s" % key)
    res["pods_long"] = {}
    for c, lst in long_errs.items():
        if not lst:
            continue
        worst = max(lst)
        res["pods_long"][c] = {"median_abs_pct": statistics.median(x[0] for x in lst), "worst_pct": worst[1],
                               "worst_pod": "%s/%s" % worst[2], "pods": len(lst)}
    res["pods_short_worst"] = {b: {c: {"pct": e, "pod": p} for c, (e, p) in cols.items()}
                               for b, cols in bucket_worst.items()}
    res["pods_long_count"] = sum(1 for k in ref["pods"] if in_day.get(k, 0) >= LONG_POD_S)

    # missing: no row on the hub, or rows whose pod columns are all zero while the reference bills something
    missing = []
    for key in sorted(ref["pods"]):
        if key in hub["pods"]:
            if not any(ref["pods"][key].values()) or any(hub["pods"][key].values()):
                continue
            how = "rows with zero values"
        else:
            how = "no row"
        st = statuses_of(key)
        if not st:
            why = "ran between two forwards"
        elif all(s != "ok" for s in st):
            why = "whole life in lost/failed cycles (%d)" % len(st)
        else:
            why = "FORWARDED (%d of %d forwards while running delivered)" % (st.count("ok"), len(st))
        missing.append({"pod": "%s/%s" % key, "lifetime_s": lifetime.get(key), "lifetime_in_day_s": in_day.get(key),
                        "hub": how, "cause": why, "lost_cycles_only": bool(st) and all(s != "ok" for s in st),
                        "between_forwards": not st})
    res["missing_on_hub"] = missing
    res["extra_on_hub"] = ["%s/%s" % k for k in sorted(set(hub["pods"]) - set(ref["pods"]))]
    res["per_pod"] = per_pod
    res["per_volume"] = {pv: {"pct": {c: pct(hub["volumes"].get(pv, {}).get(c, 0.0), v) for c, v in row.items()},
                              "claim": ref["claims"].get(pv, ""), "reference": row, "hub": hub["volumes"].get(pv)}
                         for pv, row in sorted(ref["volumes"].items())}

    # goals
    worst_cluster = max((abs(v) for v in res["cluster_day_pct"].values() if v is not None), default=0.0)
    worst_long = max((abs(v["worst_pct"]) for v in res["pods_long"].values()), default=0.0)
    bad_missing = [m["pod"] for m in missing
                   if (m["lifetime_s"] or 0) >= MISSING_MIN_S and not m["lost_cycles_only"]]
    res["goals"] = {
        "cluster_day_within_0.5pct": {"pass": worst_cluster <= GOAL_CLUSTER_PCT, "worst_abs_pct": worst_cluster},
        "pods_4h_within_2pct": {"pass": worst_long <= GOAL_POD_PCT, "worst_abs_pct": worst_long},
        "no_missing_pods_15m": {"pass": not bad_missing, "pods": bad_missing},
    }
    res["pass"] = all(g["pass"] for g in res["goals"].values())
    return res


def reference_vs_truth(ref, tr):
    out = {"cluster_day_pct": {c: pct(ref["total"][c], tr["total"].get(c, 0.0)) for c in COLUMNS}}
    worst = {}
    for key, trow in tr["pods"].items():
        rrow = ref["pods"].get(key)
        if rrow is None:
            continue
        for c in POD_COLUMNS:
            e = pct(rrow[c], trow[c])
            if e is not None and abs(e) != float("inf") and (c not in worst or abs(e) > abs(worst[c][0])):
                worst[c] = (e, "%s/%s" % key)
    out["worst_pod_pct"] = {c: {"pct": e, "pod": p} for c, (e, p) in worst.items()}
    out["pods_in_truth_not_in_reference"] = ["%s/%s" % k for k, row in sorted(tr["pods"].items())
                                            if k not in ref["pods"] and any(v > 0 for v in row.values())]
    return out


def fmt_pct(v, width=8):
    if v is None:
        return "-".rjust(width)
    if v == float("inf"):
        return "new".rjust(width)
    return ("%+.3f%%" % v).rjust(width)


def fmt_dur(s):
    if s is None:
        return "?"
    s = int(round(s))
    if s >= 3600:
        return "%dh%02dm" % (s // 3600, s % 3600 // 60)
    return "%dm%02ds" % (s // 60, s % 60)

