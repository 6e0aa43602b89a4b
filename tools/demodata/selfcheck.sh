#!/usr/bin/env bash
# Cross-checks the expected values written by generate.py against a real Prometheus loaded with the same data.
#
#   tools/demodata/selfcheck.sh PROMETHEUS_URL EXPECTED_JSON
#   (with the stack up: . .stack/stack.env && tools/demodata/selfcheck.sh "$THANOS_QUERY_URL" "$DEMO_EXPECTED_FILE")
#
# 1. For every cluster, every cost query of the bridge (CMMO's, [5m] -> [15m], clusterID matcher on every selector)
#    is run once as a query_range over all expected hours with step 60; the points are split into hours and
#    collapsed CMMO-style (sum: sum*60; max: max, max*60*n; last series in matrix order wins per row key). Every
#    row and field must equal expected.json (numbers: relative 1e-9), and no extra rows may appear.
# 2. For the hours where a pod or VM appears or disappears (and the first and last hour), the pod cpu usage, pod cpu
#    request, storage usage and VM memory usage queries are also run as one-hour query_range calls
#    (start=H, end=H+59:59, step 60), exactly as the bridge issues them.
# 3. Presence checks for the families with no expected numbers (GPU, ROS): the series the CMMO queries select exist
#    exactly on the clusters that should have them.
# Exits 0 when everything matches, 1 on any mismatch, 2 on usage or connection errors.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 PROMETHEUS_URL EXPECTED_JSON" >&2
  exit 2
fi
exec python3 - "$1" "$2" <<'PY'
import json, sys, time, urllib.parse, urllib.request, calendar

url, path = sys.argv[1].rstrip("/"), sys.argv[2]
doc = json.load(open(path))
STEP = doc["evaluation"]["step_seconds"]
RTOL = 1e-9
failures = []
queries_run = 0


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


# section, row key, PromQL, method, [(field, "value"|"seconds"|label)]
QUERIES = [
    ("nodes", row_node, "kube_node_status_capacity{%(c)s, resource='cpu'} " + NODEINFO, "max",
     [("node_capacity_cpu_cores", "value"), ("node_capacity_cpu_core_seconds", "seconds")]),
    ("nodes", row_node, "kube_node_status_capacity{%(c)s, resource='memory'} " + NODEINFO, "max",
     [("node_capacity_memory_bytes", "value"), ("node_capacity_memory_byte_seconds", "seconds")]),
    ("pods", row_pod, pod_rr("kube_pod_container_resource_limits", "cpu"), "sum",
     [("node", "node"), ("pod_limit_cpu_core_seconds", "seconds")]),
    ("pods", row_pod, pod_rr("kube_pod_container_resource_limits", "memory"), "sum",
     [("node", "node"), ("pod_limit_memory_byte_seconds", "seconds")]),
    ("pods", row_pod, pod_rr("kube_pod_container_resource_requests", "cpu"), "sum",
     [("node", "node"), ("pod_request_cpu_core_seconds", "seconds")]),
    ("pods", row_pod, pod_rr("kube_pod_container_resource_requests", "memory"), "sum",
     [("node", "node"), ("pod_request_memory_byte_seconds", "seconds")]),
    ("pods", row_pod, "sum by (pod, namespace, node) (rate(container_cpu_usage_seconds_total{%s}[15m]))" % USAGE, "sum",
     [("node", "node"), ("pod_usage_cpu_core_seconds", "seconds")]),
    ("pods", row_pod, "sum by (pod, namespace, node) (container_memory_usage_bytes{%s})" % USAGE, "sum",
     [("node", "node"), ("pod_usage_memory_byte_seconds", "seconds")]),
    ("storage", row_vol, "kube_pod_spec_volumes_persistentvolumeclaims_info{%(c)s} " + PVC, None,
     [("namespace", "namespace"), ("pod", "pod")]),
    ("storage", row_pv, "kube_persistentvolume_capacity_bytes{%(c)s, persistentvolume != ''}", "max",
     [("persistentvolumeclaim_capacity_bytes", "value"), ("persistentvolumeclaim_capacity_byte_seconds", "seconds")]),
    ("storage", row_vol, "kube_persistentvolumeclaim_resource_requests_storage_bytes{%(c)s} " + PVC, "max",
     [("volume_request_storage_byte_seconds", "seconds")]),
    ("storage", row_vol, "kubelet_volume_stats_used_bytes{%(c)s} " + PVC, "sum",
     [("persistentvolumeclaim_usage_byte_seconds", "seconds")]),
    ("storage", row_vol, "kube_persistentvolumeclaim_labels{%(c)s} " + PVC, None,
     [("namespace", "namespace"), ("persistentvolumeclaim", "persistentvolumeclaim")]),
    ("vms", row_vm, vm_res("kubevirt_vm_resource_limits", "cpu"), "max",
     [("vm_cpu_limit_cores", "value"), ("vm_cpu_limit_core_seconds", "seconds")]),
    ("vms", row_vm, vm_res("kubevirt_vm_resource_requests", "cpu", "cores"), "max",
     [("vm_cpu_request_cores", "value"), ("vm_cpu_request_core_seconds", "seconds")]),
    ("vms", row_vm, vm_res("kubevirt_vm_resource_requests", "cpu", "sockets"), "max",
     [("vm_cpu_request_sockets", "value"), ("vm_cpu_request_socket_seconds", "seconds")]),
    ("vms", row_vm, vm_res("kubevirt_vm_resource_requests", "cpu", "threads"), "max",
     [("vm_cpu_request_threads", "value"), ("vm_cpu_request_thread_seconds", "seconds")]),
    ("vms", row_vm, "sum by (name, namespace) (rate(kubevirt_vmi_cpu_usage_seconds_total{%(c)s, name!='', namespace!=''}[15m])) " + VMI,
     "sum", [("vm_cpu_usage_total_seconds", "seconds")]),
    ("vms", row_vm, vm_res("kubevirt_vm_resource_limits", "memory"), "max",
     [("vm_memory_limit_bytes", "value"), ("vm_memory_limit_byte_seconds", "seconds")]),
    ("vms", row_vm, vm_res("kubevirt_vm_resource_requests", "memory"), "max",
     [("vm_memory_request_bytes", "value"), ("vm_memory_request_byte_seconds", "seconds")]),
    ("vms", row_vm, "sum by (name, namespace) (sum_over_time(kubevirt_vmi_memory_used_bytes{%(c)s, name!='', namespace!=''}[15m])) " + VMI,
     "sum", [("vm_memory_usage_byte_seconds", "seconds")]),
    ("vms", row_vm, "sum by (name, namespace, node, os, instance_type, guest_os_name, guest_os_version_id, guest_os_arch) "
                    "(kubevirt_vmi_info{%(c)s, phase='running'}) " + NODEINFO, "sum",
     [("vm_uptime_total_seconds", "seconds")]),
    ("vms", row_vm, "sum by (name, namespace, device, persistentvolumeclaim, volume_mode) "
                    "(kubevirt_vm_disk_allocated_size_bytes{%(c)s, name!='', namespace!=''}) " + VMI, "max",
     [("vm_device", "device"), ("vm_disk_allocated_size_byte_seconds", "seconds")]),
]
SPOTLIGHT = {"pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds", "persistentvolumeclaim_usage_byte_seconds",
             "vm_memory_usage_byte_seconds"}


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


def same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) or a == b


def compare(where, want, got, only_fields=None):
    keys = set(want) | set(got)
    for key in sorted(keys):
        w, g = want.get(key), got.get(key)
        if only_fields is not None:
            w = {f: v for f, v in (w or {}).items() if f in only_fields} or None
            g = {f: v for f, v in (g or {}).items() if f in only_fields} or None
        if w is None and g is None:
            continue
        if w is None or g is None:
            failures.append("%s %s: expected %s, Prometheus %s" % (where, key, w, g))
            continue
        for f in sorted(set(w) | set(g)):
            if f not in w or f not in g or not same(w[f], g[f]):
                failures.append("%s %s %s: expected %r, Prometheus %r" % (where, key, f, w.get(f), g.get(f)))


hours = doc["hours"]
first, last = unix(hours[0]), unix(hours[-1])
checked_values = 0
for cl in doc["clusters"]:
    cid = cl["id"]
    expected = doc["expected"][cid]
    # 1. whole range at once, split into hours
    got = {h: {"nodes": {}, "pods": {}, "storage": {}, "vms": {}} for h in hours}
    for section, keyfn, q, method, fields in QUERIES:
        res = api("/api/v1/query_range", query=q % {"c": C(cid)}, start=first, end=last + 3600 - STEP, step=STEP)
        per_hour = {h: [] for h in hours}
        for s in res["result"]:  # already sorted by label set
            buckets = {}
            for t, v in s["values"]:
                buckets.setdefault(int(t) - (int(t) - first) % 3600, []).append(float(v))
            for h in hours:
                per_hour[h].append((s["metric"], buckets.get(unix(h), [])))
        for h in hours:
            collapse(per_hour[h], method, keyfn, fields, got[h][section])
    for h in hours:
        for section in ("nodes", "pods", "storage", "vms"):
            compare("%s %s %s" % (cl["name"], h, section), expected[h][section], got[h][section])
            checked_values += sum(len(r) for r in expected[h][section].values())

    # 2. one-hour queries where rows come and go (plus first and last hour)
    spot = {hours[0], hours[-1]}
    for i, h in enumerate(hours):
        for section in ("pods", "vms", "storage"):
            for j in (i - 1, i + 1):
                if 0 <= j < len(hours) and set(expected[h][section]) != set(expected[hours[j]][section]):
                    spot.add(h)
    for h in sorted(spot):
        hs = unix(h)
        for section, keyfn, q, method, fields in QUERIES:
            wanted = [f for f, _ in fields if f in SPOTLIGHT]
            if not wanted:
                continue
            res = api("/api/v1/query_range", query=q % {"c": C(cid)}, start=hs, end=hs + 3599, step=STEP)
            rows = {}
            collapse([(s["metric"], [float(v) for _, v in s["values"]]) for s in res["result"]], method, keyfn,
                     fields, rows)
            compare("%s %s %s (one-hour query)" % (cl["name"], h, section), expected[h][section], rows, set(wanted))
    print("%-24s %s: %d hours, one-hour queries for %s" % (cl["name"], cid, len(hours),
                                                       ", ".join(x[11:16] for x in sorted(spot))))

    # 3. presence of the families without expected numbers
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
print("%d queries, %d expected values checked, %d mismatches" % (queries_run, checked_values, len(failures)))
sys.exit(1 if failures else 0)
PY
