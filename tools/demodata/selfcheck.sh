#!/usr/bin/env bash
# Cross-checks the expected values written by generate.py against a real Prometheus loaded with the same data.
#
#   tools/demodata/selfcheck.sh PROMETHEUS_URL EXPECTED_JSON
#   (with the stack up: . .stack/stack.env && tools/demodata/selfcheck.sh "$THANOS_QUERY_URL" "$DEMO_EXPECTED_FILE")
#
# The expected values assume the bridge's evaluation of cost queries on the hub's 5-minute data (generate.py, "hub
# evaluation"): Prometheus evaluates each query over the requested hours plus a margin, gauges half an interval late,
# the two CPU rate queries as plain counters; the bridge then re-times, fills holes, clips to the requested hours and
# integrates the counters itself. The Prometheus part is what this script checks against the real server:
#
# 1. Raw answers. For every cluster and every request the expected file was computed for (one per UTC day,
#    "evaluation.requests"), every cost query (CMMO's, [5m] -> [15m], clusterID matcher on every selector; the counter
#    form for pod-usage-cpu-cores and vm_cpu_usage) is run as a query_range at exactly the instants the bridge uses
#    (gauges: start = first hour - margin + shift; counters: no shift; step 60). Every point of every series (label
#    set and value, relative 1e-9) must equal the generator's emulation of Prometheus 2.42 at those instants.
# 2. Expected values. The generator's re-timing, hole filling, clipping and counter integration (generate.condition)
#    are applied to the real Prometheus answers, the points are split into hours and collapsed CMMO-style by this
#    script (sum: sum*60; max: max, max*60*n; last series in matrix order wins per row key), and every row and field
#    must equal expected.json (numbers: relative 1e-9), with no extra rows. The re-timing/fill/counter steps are the
#    bridge's own arithmetic, shared here with the generator, so this does not check them independently: the bridge's
#    unit tests (ForwardedSeries) and the hub simulation do.
# 3. One-hour requests. For the hours where a pod or VM appears or disappears (and the first and last hour), the pod
#    cpu usage (counter), pod cpu request, storage usage and VM memory usage queries are also run as one-hour requests
#    (first hour = H, end = H + 1 h, with the same margin and shift) and must give the same expected values.
# 4. Presence checks for the families with no expected numbers (GPU, ROS): the series the CMMO queries select exist
#    exactly on the clusters that should have them.
# Exits 0 when everything matches, 1 on any mismatch, 2 on usage or connection errors.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 PROMETHEUS_URL EXPECTED_JSON" >&2
  exit 2
fi
exec python3 - "$1" "$2" "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" <<'PY'
import json, sys, time, urllib.parse, urllib.request, calendar

url, path, here = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
sys.path.insert(0, here)
sys.dont_write_bytecode = True   # no __pycache__ in the repository
import generate as g  # noqa: E402 - the generator's model, its Prometheus emulation and the bridge's arithmetic

doc = json.load(open(path))
STEP = doc["evaluation"]["step_seconds"]
RTOL = 1e-9
failures = []
queries_run = 0
HUB = doc["evaluation"].get("hub")
if HUB is None or STEP != g.EVAL_STEP:
    print("ERROR: %s was not written by this generator (evaluation %s)" % (path, doc["evaluation"]), file=sys.stderr)
    sys.exit(2)


def api(endpoint, **params):
    global queries_run
    queries_run += 1
    data = urllib.parse.urlencode(params).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url + endpoint, data=data), timeout=60) as r:
            body = json.load(r)
    except Exception as e:  # noqa: BLE001 - report and stop: nothing can be checked without the server
        print("ERROR: %s %s: %s" % (endpoint, params.get("query", "")[:80], e), file=sys.stderr)
        sys.exit(2)
    if body.get("status") != "success":
        print("ERROR: %s" % body, file=sys.stderr)
        sys.exit(2)
    return body["data"]


def unix(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def C(cid):
    return 'clusterID="%s"' % cid


RUN = "* on(pod, namespace) group_left max by (pod, namespace) (kube_pod_status_phase{%(c)s, phase='Running'})"
VMI = "* on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{%(c)s, phase='running'})"
PVC = ("* on(persistentvolumeclaim, namespace) group_left(volumename) max by(namespace, persistentvolumeclaim, volumename) "
       "(kube_persistentvolumeclaim_info{%(c)s, volumename != ''})")
NODEINFO = "* on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info{%(c)s})"
USAGE = "%(c)s, container!='', container!='POD', pod!='', namespace!='', node!=''"


def pod_rr(metric, res):
    return ("sum by (pod, namespace, node) (%s{%%(c)s, pod!='', namespace!='', node!='', resource='%s'} %s)"
            % (metric, res, RUN))


def vm_res(metric, res, unit=None):
    u = ", unit='%s'" % unit if unit else ""
    return "sum by (name, namespace) (%s{%%(c)s, name!='', namespace!='', resource='%s'%s}) %s" % (metric, res, u, VMI)


def row_node(l): return l.get("node", "")
def row_pod(l): return "%s/%s" % (l.get("namespace", ""), l.get("pod", ""))
def row_vm(l): return "%s/%s" % (l.get("namespace", ""), l.get("name", ""))
def row_vol(l): return l.get("volumename", "")
def row_pv(l): return l.get("persistentvolume", "")


# generator query name, section, row key, PromQL as the bridge sends it, method, [(field, "value"|"seconds"|label)]
# (the counter queries are sent without rate; the bridge integrates them and sums them by their `sum by` labels)
QUERIES = [
    ("node_cap_cpu", "nodes", row_node, "kube_node_status_capacity{%(c)s, resource='cpu'} " + NODEINFO, "max",
     [("node_capacity_cpu_cores", "value"), ("node_capacity_cpu_core_seconds", "seconds")]),
    ("node_cap_memory", "nodes", row_node, "kube_node_status_capacity{%(c)s, resource='memory'} " + NODEINFO, "max",
     [("node_capacity_memory_bytes", "value"), ("node_capacity_memory_byte_seconds", "seconds")]),
    ("pod_limit_cpu", "pods", row_pod, pod_rr("kube_pod_container_resource_limits", "cpu"), "sum",
     [("node", "node"), ("pod_limit_cpu_core_seconds", "seconds")]),
    ("pod_limit_memory", "pods", row_pod, pod_rr("kube_pod_container_resource_limits", "memory"), "sum",
     [("node", "node"), ("pod_limit_memory_byte_seconds", "seconds")]),
    ("pod_request_cpu", "pods", row_pod, pod_rr("kube_pod_container_resource_requests", "cpu"), "sum",
     [("node", "node"), ("pod_request_cpu_core_seconds", "seconds")]),
    ("pod_request_memory", "pods", row_pod, pod_rr("kube_pod_container_resource_requests", "memory"), "sum",
     [("node", "node"), ("pod_request_memory_byte_seconds", "seconds")]),
    ("pod_usage_cpu", "pods", row_pod, "container_cpu_usage_seconds_total{%s}" % USAGE, "sum",
     [("node", "node"), ("pod_usage_cpu_core_seconds", "seconds")]),
    ("pod_usage_memory", "pods", row_pod, "sum by (pod, namespace, node) (container_memory_usage_bytes{%s})" % USAGE, "sum",
     [("node", "node"), ("pod_usage_memory_byte_seconds", "seconds")]),
    ("pv_pod_info", "storage", row_vol, "kube_pod_spec_volumes_persistentvolumeclaims_info{%(c)s} " + PVC, None,
     [("namespace", "namespace"), ("pod", "pod")]),
    ("pv_capacity", "storage", row_pv, "kube_persistentvolume_capacity_bytes{%(c)s, persistentvolume != ''}", "max",
     [("persistentvolumeclaim_capacity_bytes", "value"), ("persistentvolumeclaim_capacity_byte_seconds", "seconds")]),
    ("pvc_request", "storage", row_vol, "kube_persistentvolumeclaim_resource_requests_storage_bytes{%(c)s} " + PVC, "max",
     [("volume_request_storage_byte_seconds", "seconds")]),
    ("pvc_usage", "storage", row_vol, "kubelet_volume_stats_used_bytes{%(c)s} " + PVC, "sum",
     [("persistentvolumeclaim_usage_byte_seconds", "seconds")]),
    ("pvc_labels", "storage", row_vol, "kube_persistentvolumeclaim_labels{%(c)s} " + PVC, None,
     [("namespace", "namespace"), ("persistentvolumeclaim", "persistentvolumeclaim")]),
    ("vm_cpu_limit", "vms", row_vm, vm_res("kubevirt_vm_resource_limits", "cpu"), "max",
     [("vm_cpu_limit_cores", "value"), ("vm_cpu_limit_core_seconds", "seconds")]),
    ("vm_cpu_request_cores", "vms", row_vm, vm_res("kubevirt_vm_resource_requests", "cpu", "cores"), "max",
     [("vm_cpu_request_cores", "value"), ("vm_cpu_request_core_seconds", "seconds")]),
    ("vm_cpu_request_sockets", "vms", row_vm, vm_res("kubevirt_vm_resource_requests", "cpu", "sockets"), "max",
     [("vm_cpu_request_sockets", "value"), ("vm_cpu_request_socket_seconds", "seconds")]),
    ("vm_cpu_request_threads", "vms", row_vm, vm_res("kubevirt_vm_resource_requests", "cpu", "threads"), "max",
     [("vm_cpu_request_threads", "value"), ("vm_cpu_request_thread_seconds", "seconds")]),
    ("vm_cpu_usage", "vms", row_vm, "kubevirt_vmi_cpu_usage_seconds_total{%(c)s, name!='', namespace!=''} " + VMI,
     "sum", [("vm_cpu_usage_total_seconds", "seconds")]),
    ("vm_memory_limit", "vms", row_vm, vm_res("kubevirt_vm_resource_limits", "memory"), "max",
     [("vm_memory_limit_bytes", "value"), ("vm_memory_limit_byte_seconds", "seconds")]),
    ("vm_memory_request", "vms", row_vm, vm_res("kubevirt_vm_resource_requests", "memory"), "max",
     [("vm_memory_request_bytes", "value"), ("vm_memory_request_byte_seconds", "seconds")]),
    ("vm_memory_usage", "vms", row_vm, "sum by (name, namespace) (sum_over_time(kubevirt_vmi_memory_used_bytes{%(c)s, name!='', namespace!=''}[15m])) " + VMI,
     "sum", [("vm_memory_usage_byte_seconds", "seconds")]),
    ("vm_info", "vms", row_vm, "sum by (name, namespace, node, os, instance_type, guest_os_name, guest_os_version_id, guest_os_arch) "
                               "(kubevirt_vmi_info{%(c)s, phase='running'}) " + NODEINFO, "sum",
     [("vm_uptime_total_seconds", "seconds")]),
    ("vm_disk", "vms", row_vm, "sum by (name, namespace, device, persistentvolumeclaim, volume_mode) "
                               "(kubevirt_vm_disk_allocated_size_bytes{%(c)s, name!='', namespace!=''}) " + VMI, "max",
     [("vm_device", "device"), ("vm_disk_allocated_size_byte_seconds", "seconds")]),
]
SPOTLIGHT = {"pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds", "persistentvolumeclaim_usage_byte_seconds",
             "vm_memory_usage_byte_seconds"}
assert sorted(q[0] for q in QUERIES) == sorted(g.evaluate_raw([], "", g.Request(0, 3600))), "query names out of step"


def query_range(name, req):
    """The instants the bridge evaluates a query at for a request, from the parameters in expected.json: over
    [first hour - margin, end - step + margin], gauges shifted by half an interval, counters not shifted."""
    shift = 0 if name in g.COUNTERS else HUB["shift_seconds"]
    return req.first - HUB["margin_seconds"] + shift, req.end - STEP + HUB["margin_seconds"] + shift


def query_raw(name, promql, cid, req):
    """The query's answer at the bridge's instants for req, as the generator represents it: [per step: {key: value}]."""
    start, end = query_range(name, req)
    res = api("/api/v1/query_range", query=promql % {"c": C(cid)}, start=start, end=end, step=STEP,
              lookback_delta="%ds" % doc["evaluation"]["lookback_seconds"])
    per_point = [{} for _ in range(start, end + 1, STEP)]
    if len(per_point) != req.steps:
        failures.append("%s %s: %d instants, the generator evaluated %d" % (name, req, len(per_point), req.steps))
    for s in res["result"]:
        key = tuple(sorted(s["metric"].items()))
        for t, v in s["values"]:
            k, off = divmod(round(float(t)) - start, STEP)
            if off or not 0 <= k < len(per_point):
                failures.append("%s %s: point at %s is off the grid" % (name, req, t))
                continue
            per_point[k][key] = float(v)
    return per_point


def compare_raw(where, name, want, got, req):
    """Point by point; returns the number of values compared."""
    n, shown = 0, 0
    start = query_range(name, req)[0]
    if len(want) != len(got):
        failures.append("%s raw: %d points emulated, %d instants queried" % (where, len(want), len(got)))
    for k, (w, p) in enumerate(zip(want, got)):
        for key in sorted(set(w) | set(p)):
            n += 1
            a, b = w.get(key), p.get(key)
            if a is None or b is None or not same(a, b):
                if shown < 5:
                    failures.append("%s raw at %s %s: emulated %r, Prometheus %r"
                                    % (where, g.iso(start + k * STEP), dict(key), a, b))
                shown += 1
    if shown > 5:
        failures.append("%s raw: %d more point mismatches" % (where, shown - 5))
    return n


def collapse(series_points, method, keyfn, fields, into):
    """series_points: [(labels, [values...])] for one hour, in Prometheus' matrix order. CMMO's per-series rules."""
    for labels, vals in series_points:
        if not vals:
            continue
        row = into.setdefault(keyfn(labels), {})
        if method == "sum":
            value = 0.0
            for v in vals:
                value += v
            seconds = value * STEP
        elif method == "max":
            value = max(vals)
            seconds = value * STEP * len(vals)
        else:
            value = seconds = None
        for field, what in fields:
            row[field] = value if what == "value" else seconds if what == "seconds" else labels.get(what, "")


def hour_series(points, hour_index):
    """The bridge's points of one query (per kept step {key: value}) -> one hour's series in matrix order."""
    by_key = {}
    for i in hour_index:
        for key, v in points[i].items():
            by_key.setdefault(key, []).append(v)
    return [(dict(key), by_key[key]) for key in sorted(by_key)]


def same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) or a == b


def compare(where, want, got, only_fields=None):
    keys = set(want) | set(got)
    for key in sorted(keys):
        w, g_ = want.get(key), got.get(key)
        if only_fields is not None:
            w = {f: v for f, v in (w or {}).items() if f in only_fields} or None
            g_ = {f: v for f, v in (g_ or {}).items() if f in only_fields} or None
        if w is None and g_ is None:
            continue
        if w is None or g_ is None:
            failures.append("%s %s: expected %s, from Prometheus %s" % (where, key, w, g_))
            continue
        for f in sorted(set(w) | set(g_)):
            if f not in w or f not in g_ or not same(w[f], g_[f]):
                failures.append("%s %s %s: expected %r, from Prometheus %r" % (where, key, f, w.get(f), g_.get(f)))


hours = doc["hours"]
requests = [g.Request(unix(r["start"]), unix(r["end"])) for r in doc["evaluation"]["requests"]]
if [g.iso(h) for r in requests for h in r.hours] != hours:
    failures.append("requests %s do not cover the hours %s .. %s" % (requests, hours[0], hours[-1]))
seed, start, end = doc["seed"], doc["data"]["start"], doc["data"]["end"]
series = g.build_series(g.build_model(seed, start, end), seed, start, end)
checked_values = raw_values = 0
for cl in doc["clusters"]:
    cid = cl["id"]
    expected = doc["expected"][cid]
    # 1 + 2: each request, raw answers point by point, then the expected values of its hours
    for req in requests:
        emulated = g.evaluate_raw(series, cid, req)
        got_raw = {}
        for name, section, keyfn, q, method, fields in QUERIES:
            got_raw[name] = query_raw(name, q, cid, req)
            raw_values += compare_raw("%s %s %s" % (cl["name"], req, name), name, emulated[name], got_raw[name], req)
        points = g.condition(got_raw, req)
        for h, hi in zip(req.hours, g.hour_slices(req)):
            got = {"nodes": {}, "pods": {}, "storage": {}, "vms": {}}
            for name, section, keyfn, q, method, fields in QUERIES:
                collapse(hour_series(points[name], hi), method, keyfn, fields, got[section])
            for section in ("nodes", "pods", "storage", "vms"):
                compare("%s %s %s" % (cl["name"], g.iso(h), section), expected[g.iso(h)][section], got[section])
                checked_values += sum(len(r) for r in expected[g.iso(h)][section].values())

    # 3. one-hour requests where rows come and go (plus first and last hour)
    spot = {hours[0], hours[-1]}
    for i, h in enumerate(hours):
        for section in ("pods", "vms", "storage"):
            for j in (i - 1, i + 1):
                if 0 <= j < len(hours) and set(expected[h][section]) != set(expected[hours[j]][section]):
                    spot.add(h)
    for h in sorted(spot):
        req = g.Request(unix(h), unix(h) + 3600)
        for name, section, keyfn, q, method, fields in QUERIES:
            wanted = [f for f, _ in fields if f in SPOTLIGHT]
            if not wanted:
                continue
            points = g.condition({name: query_raw(name, q, cid, req)}, req)[name]
            rows = {}
            collapse(hour_series(points, g.hour_slices(req)[0]), method, keyfn, fields, rows)
            compare("%s %s %s (one-hour request)" % (cl["name"], h, section), expected[h][section], rows, set(wanted))
    print("%-24s %s: %d hours in %d requests, one-hour requests for %s"
          % (cl["name"], cid, len(hours), len(requests), ", ".join(x[11:16] for x in sorted(spot))))

    # 4. presence of the families without expected numbers
    at = doc["data"]["end"]
    c = C(cid)
    nsf = ("kube_namespace_labels{%s, label_%%s='true', namespace!~'kube-.*|openshift|openshift-.*'}" % c)
    presence = [
        ("ROS gate", "%s or %s" % (nsf % "insights_cost_management_optimizations", nsf % "cost_management_optimizations"),
         True),
        ("ROS owner", "max_over_time(kube_pod_owner{%s, container!='', container!='POD', pod!=''}[15m])" % c,
         cl["kind"] == "full"),
        ("ROS workload", "max_over_time(namespace_workload_pod:kube_pod_owner:relabel{%s, pod!='', workload_type!~'(?i)deploymentconfig'}[15m])" % c,
         cl["kind"] == "full"),
        ("ROS cpu", "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{%s, container!='', container!='POD', pod!=''}" % c,
         cl["kind"] == "full"),
        ("ROS throttle", "rate(container_cpu_cfs_throttled_seconds_total{%s, container!='', container!='POD', pod!=''}[15m])" % c,
         cl["kind"] == "full"),
        ("ROS quota", "kube_resourcequota{%s, resource='requests.cpu', type='hard'}" % c, cl["kind"] == "full"),
        ("GPU MIG", "DCGM_FI_PROF_GR_ENGINE_ACTIVE{%s, UUID!='', GPU_I_ID!=''}" % c, cl["has_gpus"]),
        ("GPU non-MIG", "DCGM_FI_PROF_GR_ENGINE_ACTIVE{%s, UUID!='', GPU_I_ID=''}" % c, cl["has_gpus"]),
        ("GPU max slices", "DCGM_FI_DEV_MIG_MAX_SLICES{%s, UUID!=''}" % c, cl["has_gpus"]),
        ("GPU util", "DCGM_FI_DEV_GPU_UTIL{%s, exported_namespace != '', exported_container != '', exported_pod != ''}" % c,
         cl["has_gpus"]),
        ("GPU requests", "kube_pod_container_resource_requests{%s, resource='nvidia_com_gpu'}" % c, cl["has_gpus"]),
        ("GPU node labels", "kube_node_labels{%s, label_nvidia_com_gpu_memory!=''}" % c, cl["has_gpus"]),
        ("VM info", "kubevirt_vmi_info{%s, phase='running'}" % c, cl["has_vms"]),
        ("node labels", "kube_node_labels{%s, label_kubernetes_io_hostname!=''}" % c, True),
        ("node role", "kube_node_role{%s}" % c, True),
        ("pod labels", "kube_pod_labels{%s, namespace!='', pod!=''} %s" % (c, RUN % {"c": c}), True),
    ]
    for name, q, want in presence:
        n = len(api("/api/v1/query", query=q, time=at)["result"])
        if (n > 0) != want:
            failures.append("%s presence %s: %d series, expected %s" % (cl["name"], name, n, "some" if want else "none"))

for f in failures[:50]:
    print("MISMATCH " + f)
if len(failures) > 50:
    print("... %d more" % (len(failures) - 50))
print("%d queries, %d raw points and %d expected values checked, %d mismatches"
      % (queries_run, raw_values, checked_values, len(failures)))
sys.exit(1 if failures else 0)
PY
