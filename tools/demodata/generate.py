#!/usr/bin/env python3
"""Deterministic demo data for Thanos Bridge: a Prometheus that stands in for an ACM hub's Thanos Query API.

The data looks as the multicluster observability operator (MCO) would remote-write it to the hub: every series
carries ``clusterID="<cluster id>"`` and ``cluster="<cluster name>"``. kube-state-metrics series whose metric has
no container label of its own carry ``container="kube-rbac-proxy-main"`` (as on OpenShift).

Usage::

    generate.py --seed 42 [--end UNIX_SECONDS] [--hours 48] --openmetrics OUT.om --expected OUT.json

* ``--end`` defaults to now rounded down to 5 minutes, minus 5 minutes (data must lie strictly in the past).
  It is rounded down to a multiple of 300 s.
* Samples are written every 300 s from ``end - hours*3600`` to ``end`` inclusive, timestamps in seconds,
  as OpenMetrics text ending with ``# EOF`` (load it with
  ``promtool tsdb create-blocks-from openmetrics OUT.om DATA_DIR``). Counters follow the OpenMetrics convention
  (``# TYPE foo counter`` with samples named ``foo_total``).
* Everything (ids, names, values) depends only on ``--seed``; ``--end`` only shifts the time axis.

Clusters
--------
Three "full" clusters registered in koku: ``alpha`` and ``beta`` (org 1234567, with GPUs and VMs) and ``gamma``
(org 7654321, no GPUs, no VMs). Four "small" clusters (1 node, 2 pods, node + pod families only): one whose koku
source is paused, one pending delete, one whose koku credentials carry an extra key, one not registered in koku.
The ids and names are fixed (``CLUSTERS`` below) and match ``stack/koku/seed.sql``.

Expected file (``--expected``)
------------------------------
JSON object (keys sorted, numbers are JSON floats written with Python's round-tripping repr)::

    {
      "format": "thanos-bridge-demo-expected/1",
      "seed": 42,
      "data": {"start": <unix s of first sample>, "end": <unix s of last sample>, "interval_seconds": 300},
      "evaluation": {"step_seconds": 60, "points_per_hour": 60, "lookback_seconds": 300,
                     "range_window": "15m", "prometheus_semantics": "2.42",
                     "hub": {"interval_seconds": 300, "shift_seconds": 150, "max_filled_gap_seconds": 1200,
                             "margin_seconds": 1200, "counter_edge_steps": 3, "counter_tail_limit_seconds": 450,
                             "counter_queries": ["pod_usage_cpu", "vm_cpu_usage"]},
                     "requests": [{"start": "<ISO hour>", "end": "<ISO hour>"}, ...]},   # what the values assume
      "hours": ["2026-11-19T06:00:00Z", ...],          # every full hour H whose 60 points lie in the data range
      "clusters": [{"id", "name", "org_id" (null if unregistered), "kind": "full"|"small",
                    "koku_state": "active"|"paused"|"pending_delete"|"extra_credentials_key"|"unregistered",
                    "koku_sql_returns": bool,          # returned by koku-ingestion.md section 4.3 SQL
                    "koku_listener_match": bool,       # koku's listener would accept the payload
                    "has_gpus": bool, "has_vms": bool}],
      "expected": {
        "<cluster id>": {
          "<hour, ISO 8601 UTC, e.g. 2026-11-19T06:00:00Z>": {
            "nodes":   {"<node>": {node_capacity_cpu_cores, node_capacity_cpu_core_seconds,
                                   node_capacity_memory_bytes, node_capacity_memory_byte_seconds}},
            "pods":    {"<namespace>/<pod>": {node, pod_usage_cpu_core_seconds, pod_request_cpu_core_seconds,
                                   pod_limit_cpu_core_seconds, pod_usage_memory_byte_seconds,
                                   pod_request_memory_byte_seconds, pod_limit_memory_byte_seconds}},
            "storage": {"<persistent volume>": {namespace, pod, persistentvolumeclaim,
                                   persistentvolumeclaim_capacity_bytes, persistentvolumeclaim_capacity_byte_seconds,
                                   volume_request_storage_byte_seconds, persistentvolumeclaim_usage_byte_seconds}},
            "vms":     {"<namespace>/<name>": {vm_uptime_total_seconds, vm_cpu_limit_cores, vm_cpu_limit_core_seconds,
                                   vm_cpu_request_cores, vm_cpu_request_core_seconds, vm_cpu_request_sockets,
                                   vm_cpu_request_socket_seconds, vm_cpu_request_threads,
                                   vm_cpu_request_thread_seconds, vm_cpu_usage_total_seconds, vm_memory_limit_bytes,
                                   vm_memory_limit_byte_seconds, vm_memory_request_bytes,
                                   vm_memory_request_byte_seconds, vm_memory_usage_byte_seconds, vm_device,
                                   vm_disk_allocated_size_byte_seconds}}
          }
        }
      }
    }

A key is omitted when the value would be absent (no point of the hour had a value); a row is present when any of
its queries returned a series in that hour; a section with no rows is ``{}``.

How the values are computed
---------------------------
Independently of the model that produced the samples: the generator re-reads its own raw samples (exactly the
floats written to the OpenMetrics file) and computes what the bridge must produce with its evaluation of the cost
queries on the hub's 5-minute data ("hub evaluation"): Prometheus 2.42 range-query evaluation, step s = 60 s, of
the CMMO cost queries (``cmmo-output.md`` section 2) with ``[5m]`` replaced by ``[15m]`` and a ``clusterID``
matcher on every selector, followed by the bridge's own arithmetic on the answers.

The values assume one request per UTC day (``evaluation.requests``: the hours [H0, Hend) of the day that are in
``hours``; the integration tests request whole days). For the demo data every hour's values are the same for any
request that contains the hour (single hours, whole days, all hours at once): the margin keeps the edges of a
request out of its hours.

Prometheus's evaluation (emulated):

* instant selector at u: latest sample with timestamp in [u-300, u] (both inclusive, as in Prometheus 2.x), else
  absent; range selector ``[15m]`` at u: samples with timestamp in [u-900, u] (both inclusive);
* ``sum_over_time``: sum of the window's samples;
* binary ``* on(...) group_left(...)`` and ``sum/max by`` as in PromQL (``__name__`` dropped).

Hub evaluation (P = 300 s collector interval, h = 150 s shift, G = 1200 s longest filled hole, M = 1200 s margin):

* gauge queries (every cost query but the two below) are evaluated at u_k = H0 - M + h + k*s up to
  Hend - s + M + h; each point is re-timed to t_k = u_k - h; per series, a hole between present points
  t_a < t_b with t_b - t_a > s and t_b - t_a - s <= G is filled with the value at t_a;
* the counter queries pod-usage-cpu-cores (``container_cpu_usage_seconds_total{...}``, summed by pod, namespace,
  node) and vm_cpu_usage (``kubevirt_vmi_cpu_usage_seconds_total{...} * on (name, namespace) group_left max by
  (name, namespace) (kubevirt_vmi_info{phase='running'})``, summed by name, namespace) are sent without ``rate`` and
  evaluated at u_k = H0 - M + k*s (no shift); the bridge integrates each series from its increases between changes
  of value (a drop is a reset), adds a start (its first value, counted from 0) for a series that appears after the
  first step while any series of the query's answer had a point within the G/s steps before (otherwise its first
  value is only a baseline: the cluster's data begins there, or comes back after a longer outage), adds a tail for
  one that ends inside the range (``hub_counter``), and sums the series of a group: value = increase / s;
* only points with t in [H0, Hend - s] are kept;
* per hour and row: method "sum" -> value Σ over the points, seconds Σ×60; method "max" -> value max,
  seconds max × 60 × (number of points the series had, filled ones included); several series for one row key: the
  series that sorts last (Prometheus sorts matrices by label set, labels compared in name order) wins, as in CMMO.

``tools/demodata/selfcheck.sh`` cross-checks the emulated Prometheus answers, point by point at the same instants,
against a real Prometheus loaded with the data, and these numbers against the bridge's arithmetic applied to the
real answers.
"""

import argparse
import bisect
import datetime as _dt
import json
import os
import random
import sys
import time

STEP = 300            # sample interval of the generated data (MCO remote-writes every 5 minutes)
EVAL_STEP = 60        # range-query step the bridge uses (CMMO's)
LOOKBACK = 300        # Prometheus default lookback delta
RATE_WINDOW = 900     # [15m]: the sum_over_time window of the cost queries
BLOCK = 7200          # promtool's block range (2 h, aligned to multiples of 2 h since the epoch)
KSM_CONTAINER = "kube-rbac-proxy-main"
GIB = 1024 ** 3
MIB = 1024 ** 2

CLUSTERS = [
    # key, id, name, org_id, kind, koku_state, koku_sql_returns, koku_listener_match
    ("alpha", "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01", "alpha", "1234567", "full", "active", True, True),
    ("beta", "b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02", "beta", "1234567", "full", "active", True, True),
    ("gamma", "c3f2e5d4-7d80-4e9c-8f1a-2b3c4d5e6f03", "gamma", "7654321", "full", "active", True, True),
    ("delta", "d4a3f6e5-8e91-4fad-9a2b-3c4d5e6f7a04", "delta-paused", "1234567", "small", "paused", False, True),
    ("epsilon", "e5b4a7f6-9fa2-4abe-8b3c-4d5e6f7a8b05", "epsilon-pending-delete", "1234567", "small",
     "pending_delete", False, True),
    ("zeta", "f6c5b8a7-a0b3-4bcf-9c4d-5e6f7a8b9c06", "zeta-extra-key", "1234567", "small",
     "extra_credentials_key", True, False),
    ("eta", "07d6c9b8-b1c4-4cd0-8d5e-6f7a8b9c0d07", "eta-unregistered", None, "small", "unregistered", False, False),
]

# Families in output order: name -> (type, help). Counters are listed by family name (without _total).
FAMILIES = [
    ("kube_node_status_allocatable", "gauge", "The allocatable for different resources of a node."),
    ("kube_node_status_capacity", "gauge", "The capacity for different resources of a node."),
    ("kube_node_info", "gauge", "Information about a cluster node."),
    ("kube_node_role", "gauge", "The role of a cluster node."),
    ("kube_node_labels", "gauge", "Kubernetes labels converted to Prometheus labels."),
    ("kube_pod_container_resource_requests", "gauge", "The number of requested resource by a container."),
    ("kube_pod_container_resource_limits", "gauge", "The number of requested limit resource by a container."),
    ("kube_pod_status_phase", "gauge", "The pods current phase."),
    ("container_cpu_usage_seconds", "counter", "Cumulative cpu time consumed in seconds."),
    ("container_memory_usage_bytes", "gauge", "Current memory usage in bytes."),
    ("kube_pod_labels", "gauge", "Kubernetes labels converted to Prometheus labels."),
    ("kube_pod_info", "gauge", "Information about pod."),
    ("kube_pod_spec_volumes_persistentvolumeclaims_info", "gauge", "Information about persistentvolumeclaim volumes in a pod."),
    ("kube_persistentvolumeclaim_info", "gauge", "Information about persistent volume claim."),
    ("kube_persistentvolume_capacity_bytes", "gauge", "Persistentvolume capacity in bytes."),
    ("kube_persistentvolumeclaim_resource_requests_storage_bytes", "gauge", "The capacity of storage requested by the persistent volume claim."),
    ("kubelet_volume_stats_used_bytes", "gauge", "Number of used bytes in the volume."),
    ("kube_persistentvolume_labels", "gauge", "Kubernetes labels converted to Prometheus labels."),
    ("kube_persistentvolume_info", "gauge", "Information about persistentvolume."),
    ("kube_persistentvolumeclaim_labels", "gauge", "Kubernetes labels converted to Prometheus labels."),
    ("kube_namespace_labels", "gauge", "Kubernetes labels converted to Prometheus labels."),
    ("kubevirt_vm_resource_limits", "gauge", "Resources limits by Virtual Machine."),
    ("kubevirt_vm_resource_requests", "gauge", "Resources requested by Virtual Machine."),
    ("kubevirt_vmi_info", "gauge", "Information about VirtualMachineInstances."),
    ("kubevirt_vmi_cpu_usage_seconds", "counter", "Total CPU time spent in all modes."),
    ("kubevirt_vmi_memory_used_bytes", "gauge", "Amount of used memory as seen by the domain."),
    ("kubevirt_vm_disk_allocated_size_bytes", "gauge", "Allocated disk size of a Virtual Machine in bytes."),
    ("kubevirt_vm_labels", "gauge", "Virtual Machine labels."),
    ("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "gauge", "Ratio of time the graphics engine is active."),
    ("DCGM_FI_DEV_MIG_MAX_SLICES", "gauge", "MIG max slices."),
    ("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."),
    ("DCGM_FI_DEV_MEM_COPY_UTIL", "gauge", "Memory utilization (in %)."),
    ("DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."),
    ("kube_pod_container_info", "gauge", "Information about a container in a pod."),
    ("kube_pod_owner", "gauge", "Information about the Pod's owner."),
    ("namespace_workload_pod:kube_pod_owner:relabel", "gauge", "Recording rule: workload owning a pod."),
    ("node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate", "gauge", "Recording rule: per-container CPU usage."),
    ("container_memory_working_set_bytes", "gauge", "Current working set in bytes."),
    ("container_memory_rss", "gauge", "Size of RSS in bytes."),
    ("container_cpu_cfs_throttled_seconds", "counter", "Total time duration the container has been throttled."),
    ("kube_resourcequota", "gauge", "Information about resource quota."),
]
FAMILY_TYPE = {f: t for f, t, _ in FAMILIES}


def rng_for(seed, *parts):
    """A random generator that depends only on the seed and an entity name (stable when entities are added)."""
    return random.Random("%s|%s" % (seed, "|".join(str(p) for p in parts)))


def iso(t):
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------------------------------------------
# Model (what exists on each cluster). Values are drawn from seeded generators; lifetimes are absolute times.
# --------------------------------------------------------------------------------------------------------------

class Ctr:
    def __init__(self, name, req_cpu, req_mem, lim_cpu=None, lim_mem=None, gpu=0, usage=True):
        self.name, self.req_cpu, self.req_mem, self.lim_cpu, self.lim_mem = name, req_cpu, req_mem, lim_cpu, lim_mem
        self.gpu, self.usage = gpu, usage


class Pod:
    def __init__(self, ns, name, node, owner, ctrs, phase="Running", life=None, labels=None, extra_cgroups=False):
        self.ns, self.name, self.node, self.owner, self.ctrs = ns, name, node, owner, ctrs
        self.phase, self.life, self.labels, self.extra_cgroups = phase, life, labels or {}, extra_cgroups


class Cluster:
    def __init__(self, spec):
        (self.key, self.id, self.name, self.org_id, self.kind, self.koku_state,
         self.sql_returns, self.listener_match) = spec
        self.nodes, self.pods, self.namespaces, self.pvcs, self.orphan_pvs = [], [], [], [], []
        self.vms, self.gpus, self.quotas = [], [], []


def build_model(seed, start, end):
    """Returns the list of Cluster objects. `start`/`end` fix the absolute lifetimes of things that come and go."""
    hour = 3600
    start_20h = (end - 20 * hour) // hour * hour   # a pod that starts 20 h before the end (hour aligned)
    stop_10h = (end - 10 * hour) // hour * hour    # a pod that stops 10 h before the end (hour aligned)
    join_6h = (end - 6 * hour) // hour * hour + 1500   # a node that joins about 6 h before the end, at HH:25
    vm_12h = (end - 12 * hour) // hour * hour      # a VM that starts running 12 h before the end
    clusters = []
    for spec in CLUSTERS:
        c = Cluster(spec)
        r = rng_for(seed, c.key)

        def node(name, roles, cpu, mem_gib, zone, gpu=False, life=None, mig_strategy="mixed"):
            inst = "i-0%015x" % r.getrandbits(60)
            labels = {
                "label_kubernetes_io_hostname": name,
                "label_kubernetes_io_os": "linux",
                "label_node_kubernetes_io_instance_type": "m5.4xlarge" if not gpu else "p4d.24xlarge",
                "label_topology_kubernetes_io_zone": zone,
            }
            for role in roles:
                labels["label_node_role_kubernetes_io_" + role] = "true"
            if gpu:
                labels["label_nvidia_com_gpu_memory"] = "40960"
                labels["label_nvidia_com_mig_strategy"] = mig_strategy
                labels["label_nvidia_com_gpu_product"] = "NVIDIA-A100-SXM4-40GB"
            c.nodes.append(dict(name=name, roles=roles, cpu=cpu, mem=mem_gib * GIB, labels=labels, life=life,
                                provider_id="aws:///%s/%s" % (zone, inst), alloc_cpu=cpu - 0.5,
                                alloc_mem=mem_gib * GIB - 2 * GIB))

        def ns(name, opt=None):
            labels = {"label_kubernetes_io_metadata_name": name}
            if opt == "cost":
                labels["label_cost_management_optimizations"] = "true"
            elif opt == "insights":
                labels["label_insights_cost_management_optimizations"] = "true"
            c.namespaces.append(dict(name=name, labels=labels))

        def pod(nsname, name, nodename, owner, ctrs, **kw):
            p = Pod(nsname, name, nodename, owner, ctrs, **kw)
            p.labels.setdefault("label_app", name.split("-")[0])
            for ct in ctrs:
                ct.cpu_rate = round(r.uniform(0.05, 0.9) * (ct.req_cpu / 0.5 if ct.req_cpu else 1), 3)
                ct.cpu_base = float(r.randint(10 ** 5, 10 ** 7)) + 0.25
                ct.mem_base = r.randint(200, 900) * MIB
                ct.throttle_rate = round(r.uniform(0.0, 0.05), 4)
                ct.throttle_base = float(r.randint(10 ** 3, 10 ** 5))
            c.pods.append(p)
            return p

        def pvc(nsname, name, podname, pvname, sc, size_gib, used_gib, life=None):
            c.pvcs.append(dict(ns=nsname, name=name, pod=podname, pv=pvname, sc=sc, size=size_gib * GIB,
                               used=used_gib * GIB, growth=r.randint(1, 64) * 4096, life=life,
                               handle="vol-0%015x" % r.getrandbits(60)))

        def gi(mib):
            return mib * MIB

        if c.kind == "full":
            z = {"alpha": "us-east-1a", "beta": "eu-west-1b", "gamma": "us-west-2c"}[c.key]
            node("%s-master-0" % c.name, ["master"], 8, 32, z)
            node("%s-worker-0" % c.name, ["worker", "infra"] if c.key == "alpha" else ["worker"], 16, 64, z)
            if c.key in ("alpha", "beta"):
                node("%s-gpu-0" % c.name, ["worker"], 32, 256, z, gpu=True)
            if c.key == "beta":
                node("%s-worker-1" % c.name, ["worker"], 16, 64, z, life=(join_6h, None))
            m, w, g = "%s-master-0" % c.name, "%s-worker-0" % c.name, "%s-gpu-0" % c.name
        else:
            node("%s-node-0" % c.name, ["master", "worker"], 4, 16, "us-east-2a")
            w = "%s-node-0" % c.name

        if c.key == "alpha":
            ns("shop", "cost"), ns("billing", "insights"), ns("analytics"), ns("gpu-jobs", "cost")
            ns("vms", "cost"), ns("openshift-monitoring"), ns("openshift-etcd")
            pod("shop", "frontend-7d9f8b6c5d-x2kqp", w, ("ReplicaSet", "frontend-7d9f8b6c5d", "frontend", "deployment"),
                [Ctr("web", 0.5, gi(512), 1.0, gi(1024)), Ctr("istio-proxy", 0.1, gi(128), 0.5, gi(256))])
            pod("shop", "postgres-0", w, ("StatefulSet", "postgres", "postgres", "statefulset"),
                [Ctr("postgres", 1.0, 2 * GIB, 2.0, 4 * GIB)])
            pod("billing", "postgres-0", w, ("StatefulSet", "postgres", "postgres", "statefulset"),
                [Ctr("postgres", 0.5, GIB, None, 2 * GIB)])
            pod("billing", "invoice-worker-5c6d7f8b9-h4jkl", w,
                ("ReplicaSet", "invoice-worker-5c6d7f8b9", "invoice-worker", "deployment"),
                [Ctr("worker", 0.25, gi(256), 0.5, gi(512))], life=(start_20h, None))
            pod("analytics", "report-job-28391022-qwe7r", w, ("Job", "report-job-28391022", "report-job", "job"),
                [Ctr("report", 2.0, 4 * GIB, 4.0, 8 * GIB)], life=(None, stop_10h - STEP))
            pod("analytics", "batch-pending-6f7d8-zzv9n", w,
                ("ReplicaSet", "batch-pending-6f7d8", "batch-pending", "deployment"),
                [Ctr("batch", 1.0, GIB, 1.0, GIB, usage=False)], phase="Pending")
            pod("openshift-monitoring", "prometheus-k8s-0", m, ("StatefulSet", "prometheus-k8s", "prometheus-k8s", "statefulset"),
                [Ctr("prometheus", 0.07, gi(1024))], extra_cgroups=True)
            pvc("shop", "data-postgres-0", "postgres-0", "pvc-5a1e0c7b-shop-postgres", "gp3-csi", 20, 6)
            pvc("billing", "data-postgres-0", "postgres-0", "pvc-6b2f1d8c-billing-postgres", "gp3-csi", 10, 3)
            pvc("analytics", "scratch-report", "report-job-28391022-qwe7r", "pvc-7c3a2e9d-analytics-scratch",
                "gp2-csi", 50, 20, life=(None, stop_10h - STEP))
            pvc("openshift-monitoring", "prometheus-data-prometheus-k8s-0", "prometheus-k8s-0",
                "pvc-8d4b3f0e-prometheus-data", "gp3-csi", 100, 41)
            c.orphan_pvs.append(dict(pv="pv-nfs-archive-01", sc="nfs-manual", size=500 * GIB, handle="",
                                     driver=""))
            c.quotas += [("shop", 4.0, 8.0, 8 * GIB, 16 * GIB), ("billing", 2.0, 4.0, 4 * GIB, 8 * GIB)]
        elif c.key == "beta":
            ns("web", "cost"), ns("gpu-jobs", "cost"), ns("vms"), ns("openshift-etcd")
            pod("web", "nginx-64f9c7b8d-7wq2m", w, ("ReplicaSet", "nginx-64f9c7b8d", "nginx", "deployment"),
                [Ctr("nginx", 0.25, gi(256), 0.5, gi(512))])
            pod("web", "redis-0", w, ("StatefulSet", "redis", "redis", "statefulset"),
                [Ctr("redis", 0.5, GIB, 1.0, 2 * GIB)])
            pvc("web", "data-redis-0", "redis-0", "pvc-9e5c4a1f-web-redis", "gp3-csi", 8, 2)
            c.quotas += [("web", 2.0, 4.0, 4 * GIB, 8 * GIB)]
        elif c.key == "gamma":
            ns("payments", "cost"), ns("batch"), ns("openshift-ingress")
            pod("payments", "api-5b8d9c7f6-p9x8z", w, ("ReplicaSet", "api-5b8d9c7f6", "api", "deployment"),
                [Ctr("api", 0.5, GIB, 1.0, 2 * GIB)])
            pod("payments", "ledger-0", w, ("StatefulSet", "ledger", "ledger", "statefulset"),
                [Ctr("ledger", 1.0, 2 * GIB, 2.0, 4 * GIB)])
            pod("batch", "nightly-28391100-m2n3b", w, ("Job", "nightly-28391100", "nightly", "job"),
                [Ctr("nightly", 0.25, gi(512))])
            pod("openshift-ingress", "router-default-7f8d9-abcde", m,
                ("ReplicaSet", "router-default-7f8d9", "router-default", "deployment"),
                [Ctr("router", 0.1, gi(256))])
            pvc("payments", "data-ledger-0", "ledger-0", "pvc-0f6d5b2a-payments-ledger", "gp3-csi", 30, 12)
            c.quotas += [("payments", 2.0, 4.0, 6 * GIB, 12 * GIB)]
        else:
            ns("demo", "cost"), ns("openshift-dns")
            pod("demo", "hello-6d8f7c9b5-k2l3m", w, ("ReplicaSet", "hello-6d8f7c9b5", "hello", "deployment"),
                [Ctr("hello", 0.1, gi(128), 0.2, gi(256))])
            pod("openshift-dns", "dns-default-x7y8z", w, ("DaemonSet", "dns-default", "dns-default", "daemonset"),
                [Ctr("dns", 0.05, gi(70))])

        if c.key in ("alpha", "beta"):
            for i, (pname, gid, prof) in enumerate([("trainer-mig-0", "0", "3g.20gb"), ("trainer-mig-1", "1", "3g.20gb"),
                                                    ("inference-0", None, None)]):
                pod("gpu-jobs", pname, g, ("StatefulSet" if pname.startswith("inference") else "Job",
                                           pname.rsplit("-", 1)[0], pname.rsplit("-", 1)[0],
                                           "statefulset" if pname.startswith("inference") else "job"),
                    [Ctr("cuda", 2.0, 8 * GIB, 4.0, 16 * GIB, gpu=1)])
                c.gpus.append(dict(node=g, pod=pname, ns="gpu-jobs", container="cuda", gpu_i_id=gid, profile=prof,
                                   uuid="GPU-%08x-%04x-%04x-%04x-%012x" % (
                                       r.getrandbits(32), r.getrandbits(16), r.getrandbits(16), r.getrandbits(16),
                                       r.getrandbits(48)) if gid != "1" else c.gpus[-1]["uuid"],
                                   device="nvidia0" if gid is not None else "nvidia1",
                                   util=r.uniform(20, 95), fb=r.randint(4000, 30000)))
            if c.key == "alpha":
                c.vms.append(dict(ns="vms", name="rhel9-db", node=w, cores=4, sockets=1, threads=1, mem=16 * GIB,
                                  lim_cpu=4, lim_mem=16 * GIB, os="rhel9", itype="u1.xlarge",
                                  gname="Red Hat Enterprise Linux", gver="9.4", life=None,
                                  disks=[("rootdisk", "rhel9-db-root", "Block", 30 * GIB),
                                         ("datadisk", "rhel9-db-data", "Filesystem", 200 * GIB)]))
                c.vms.append(dict(ns="vms", name="win2022-app", node=w, cores=2, sockets=2, threads=1, mem=8 * GIB,
                                  lim_cpu=None, lim_mem=None, os="windows2k22", itype="u1.large",
                                  gname="Microsoft Windows Server 2022", gver="2022", life=None,
                                  disks=[("rootdisk", "win2022-app-root", "Block", 60 * GIB)]))
            else:
                c.vms.append(dict(ns="vms", name="fedora-web", node=w, cores=2, sockets=1, threads=2, mem=4 * GIB,
                                  lim_cpu=2, lim_mem=4 * GIB, os="fedora", itype="u1.medium",
                                  gname="Fedora Linux", gver="40", life=(vm_12h, None),
                                  disks=[("rootdisk", "fedora-web-root", "Filesystem", 20 * GIB)]))
                c.vms.append(dict(ns="vms", name="centos-ci", node=w, cores=8, sockets=2, threads=2, mem=32 * GIB,
                                  lim_cpu=8, lim_mem=32 * GIB, os="centos-stream9", itype="u1.2xlarge",
                                  gname="CentOS Stream", gver="9", life=None,
                                  disks=[("rootdisk", "centos-ci-root", "Block", 80 * GIB)]))
            for vm in c.vms:
                vm["cpu_rate"] = round(r.uniform(0.2, 0.8) * vm["cores"], 3)
                vm["cpu_base"] = float(r.randint(10 ** 5, 10 ** 7)) + 0.5
                vm["mem_used"] = int(vm["mem"] * r.uniform(0.3, 0.7)) // 4096 * 4096
        clusters.append(c)
    return clusters


# --------------------------------------------------------------------------------------------------------------
# Series (the raw samples). Every value is a Python float; exactly these floats are written and re-read.
# --------------------------------------------------------------------------------------------------------------

class Series:
    __slots__ = ("name", "labels", "ts", "vs", "key", "key_with_name")

    def __init__(self, name, labels, ts, vs):
        self.name, self.labels, self.ts, self.vs = name, labels, ts, vs
        self.key = tuple(sorted(labels.items()))
        self.key_with_name = tuple(sorted(list(labels.items()) + [("__name__", name)]))


def in_life(t, life):
    if life is None:
        return True
    lo, hi = life
    return (lo is None or t >= lo) and (hi is None or t <= hi)


def build_series(clusters, seed, start, end):
    grid = list(range(start, end + 1, STEP))
    out = []

    def add(c, name, labels, fn, life=None, ksm=False):
        lab = {"clusterID": c.id, "cluster": c.name}
        if ksm and "container" not in labels:
            lab["container"] = KSM_CONTAINER
        lab.update({k: v for k, v in labels.items() if v not in (None, "")})
        ts = [t for t in grid if in_life(t, life)]
        vs = [float(fn(t)) for t in ts]
        if ts:
            out.append(Series(name, lab, ts, vs))

    def const(v):
        return lambda t: v

    def counter_origin(life, *key):
        """(t0, ran) for the counters of a container or VMI with this lifetime: they are base + rate * (t - t0). One
        that already runs when the data begins (ran None) keeps its large base (drawn in build_model); one that starts
        inside the data (at t0, a sample instant in the demo) counts from 0 since `ran` seconds (10 .. 290,
        deterministic) before t0, as cAdvisor's and KubeVirt's counters do: base = rate * ran."""
        if life is None or life[0] is None or life[0] <= grid[0]:
            return (grid[0] if life is None or life[0] is None else life[0]), None
        return life[0], rng_for(seed, "started", *key).randint(10, 290)

    def wobble(key, base, amp, quantum=1):
        """A deterministic per-sample wobble around `base` (integers when quantum is an int)."""
        rr = rng_for(seed, "wobble", key)
        noise = {t: rr.randint(-amp, amp) for t in grid}
        return lambda t: base + noise[t] * quantum

    for c in clusters:
        for n in c.nodes:
            nl = {"node": n["name"]}
            life = n["life"]
            add(c, "kube_node_status_allocatable", dict(nl, resource="cpu", unit="core"), const(n["alloc_cpu"]), life, True)
            add(c, "kube_node_status_allocatable", dict(nl, resource="memory", unit="byte"), const(n["alloc_mem"]), life, True)
            add(c, "kube_node_status_capacity", dict(nl, resource="cpu", unit="core"), const(n["cpu"]), life, True)
            add(c, "kube_node_status_capacity", dict(nl, resource="memory", unit="byte"), const(n["mem"]), life, True)
            add(c, "kube_node_info", dict(nl, provider_id=n["provider_id"], kernel_version="5.14.0-427.el9.x86_64",
                                          os_image="Red Hat Enterprise Linux CoreOS 417.94",
                                          container_runtime_version="cri-o://1.30.4"), const(1), life, True)
            for role in n["roles"]:
                add(c, "kube_node_role", dict(nl, role=role), const(1), life, True)
            add(c, "kube_node_labels", dict(nl, **n["labels"]), const(1), life, True)

        for nsd in c.namespaces:
            add(c, "kube_namespace_labels", dict(namespace=nsd["name"], **nsd["labels"]), const(1), None, True)

        full = c.kind == "full"
        for p in c.pods:
            pl = {"pod": p.name, "namespace": p.ns}
            running = p.phase == "Running"
            add(c, "kube_pod_status_phase", dict(pl, phase="Running"), const(1 if running else 0), p.life, True)
            add(c, "kube_pod_status_phase", dict(pl, phase="Pending"), const(0 if running else 1), p.life, True)
            add(c, "kube_pod_labels", dict(pl, **p.labels), const(1), p.life, True)
            add(c, "kube_pod_info", dict(pl, node=p.node, created_by_kind=p.owner[0], created_by_name=p.owner[1]),
                const(1), p.life, True)
            ros = full and not p.ns.startswith("openshift-")
            if ros:
                add(c, "kube_pod_owner", dict(pl, owner_kind=p.owner[0], owner_name=p.owner[1], owner_is_controller="true"),
                    const(1), p.life, True)
                add(c, "namespace_workload_pod:kube_pod_owner:relabel",
                    dict(pl, workload=p.owner[2], workload_type=p.owner[3]), const(1), p.life)
            for ct in p.ctrs:
                cl = dict(pl, container=ct.name)
                kl = dict(cl, node=p.node)
                add(c, "kube_pod_container_resource_requests", dict(kl, resource="cpu", unit="core"), const(ct.req_cpu), p.life)
                add(c, "kube_pod_container_resource_requests", dict(kl, resource="memory", unit="byte"), const(ct.req_mem), p.life)
                if ct.lim_cpu is not None:
                    add(c, "kube_pod_container_resource_limits", dict(kl, resource="cpu", unit="core"), const(ct.lim_cpu), p.life)
                if ct.lim_mem is not None:
                    add(c, "kube_pod_container_resource_limits", dict(kl, resource="memory", unit="byte"), const(ct.lim_mem), p.life)
                if ct.gpu:
                    add(c, "kube_pod_container_resource_requests", dict(kl, resource="nvidia_com_gpu", unit="integer"),
                        const(ct.gpu), p.life)
                    add(c, "kube_pod_container_resource_limits", dict(kl, resource="nvidia_com_gpu", unit="integer"),
                        const(ct.gpu), p.life)
                if ros:
                    add(c, "kube_pod_container_info",
                        dict(cl, image="quay.io/demo/%s:1.%d" % (ct.name, len(ct.name)),
                             image_id="quay.io/demo/%s@sha256:%064x" % (ct.name, len(p.name) * 7919),
                             container_id="cri-o://%064x" % (len(p.name) * 104729 + len(ct.name))),
                        const(1), p.life)
                if not ct.usage:
                    continue
                t0, ran = counter_origin(p.life, c.key, p.ns, p.name, ct.name)
                cpu_base = ct.cpu_base if ran is None else ct.cpu_rate * ran
                cpu = (lambda t0, base, rate: (lambda t: base + rate * (t - t0)))(t0, cpu_base, ct.cpu_rate)
                add(c, "container_cpu_usage_seconds_total", kl, cpu, p.life)
                add(c, "container_memory_usage_bytes", kl, wobble((c.key, p.ns, p.name, ct.name, "mem"), ct.mem_base, 64, MIB // 4), p.life)
                if ros:
                    add(c, "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate", kl,
                        wobble((c.key, p.ns, p.name, ct.name, "irate"), ct.cpu_rate, 200, 0.0005), p.life)
                    add(c, "container_memory_working_set_bytes", kl,
                        wobble((c.key, p.ns, p.name, ct.name, "wss"), ct.mem_base * 9 // 10, 64, MIB // 4), p.life)
                    add(c, "container_memory_rss", kl,
                        wobble((c.key, p.ns, p.name, ct.name, "rss"), ct.mem_base * 7 // 10, 64, MIB // 4), p.life)
                    thr_base = ct.throttle_base if ran is None else ct.throttle_rate * ran
                    thr = (lambda t0, base, rate: (lambda t: base + rate * (t - t0)))(t0, thr_base, ct.throttle_rate)
                    add(c, "container_cpu_cfs_throttled_seconds_total", kl, thr, p.life)
            if p.extra_cgroups:
                # cAdvisor's pod-level cgroup (no container label) and the pause container: the queries filter them.
                for extra in ({}, {"container": "POD"}):
                    el = dict(pl, node=p.node, **extra)
                    base = 5000000.0 if not extra else 1000.0
                    rate = 0.5 if not extra else 0.001
                    add(c, "container_cpu_usage_seconds_total", el,
                        (lambda b, rt: (lambda t: b + rt * (t - grid[0])))(base, rate), p.life)
                    add(c, "container_memory_usage_bytes", el, const(3 * GIB if not extra else MIB), p.life)

        for v in c.pvcs:
            life = v["life"]
            add(c, "kube_pod_spec_volumes_persistentvolumeclaims_info",
                dict(namespace=v["ns"], pod=v["pod"], persistentvolumeclaim=v["name"], volume="data"), const(1), life, True)
            add(c, "kube_persistentvolumeclaim_info",
                dict(namespace=v["ns"], persistentvolumeclaim=v["name"], volumename=v["pv"], storageclass=v["sc"]),
                const(1), None, True)
            add(c, "kube_persistentvolume_capacity_bytes", dict(persistentvolume=v["pv"]), const(v["size"]), None, True)
            add(c, "kube_persistentvolumeclaim_resource_requests_storage_bytes",
                dict(namespace=v["ns"], persistentvolumeclaim=v["name"]), const(v["size"]), None, True)
            node = next(p.node for p in c.pods if p.name == v["pod"] and p.ns == v["ns"])
            used = (lambda base, g: (lambda t: base + g * ((t - grid[0]) // STEP)))(v["used"], v["growth"])
            add(c, "kubelet_volume_stats_used_bytes", dict(namespace=v["ns"], persistentvolumeclaim=v["name"], node=node),
                used, life)
            add(c, "kube_persistentvolume_labels", dict(persistentvolume=v["pv"], label_topology_kubernetes_io_zone="zone-a"),
                const(1), None, True)
            add(c, "kube_persistentvolume_info",
                dict(persistentvolume=v["pv"], storageclass=v["sc"], csi_driver="ebs.csi.aws.com",
                     csi_volume_handle=v["handle"]), const(1), None, True)
            add(c, "kube_persistentvolumeclaim_labels",
                dict(namespace=v["ns"], persistentvolumeclaim=v["name"], label_app=v["pod"].split("-")[0]),
                const(1), None, True)
        for o in c.orphan_pvs:
            add(c, "kube_persistentvolume_capacity_bytes", dict(persistentvolume=o["pv"]), const(o["size"]), None, True)
            add(c, "kube_persistentvolume_labels", dict(persistentvolume=o["pv"], label_backup="weekly"), const(1), None, True)
            add(c, "kube_persistentvolume_info", dict(persistentvolume=o["pv"], storageclass=o["sc"]), const(1), None, True)

        for nsname, rcpu, lcpu, rmem, lmem in c.quotas:
            for res, val in (("requests.cpu", rcpu), ("limits.cpu", lcpu), ("requests.memory", rmem),
                             ("limits.memory", lmem)):
                add(c, "kube_resourcequota", dict(namespace=nsname, resource=res, type="hard", resourcequota="quota"),
                    const(val), None, True)

        for vm in c.vms:
            vl = {"name": vm["name"], "namespace": vm["ns"]}
            if vm["lim_cpu"] is not None:
                add(c, "kubevirt_vm_resource_limits", dict(vl, resource="cpu", unit="cores"), const(vm["lim_cpu"]))
                add(c, "kubevirt_vm_resource_limits", dict(vl, resource="memory", unit="bytes"), const(vm["lim_mem"]))
            add(c, "kubevirt_vm_resource_requests", dict(vl, resource="cpu", unit="cores"), const(vm["cores"]))
            add(c, "kubevirt_vm_resource_requests", dict(vl, resource="cpu", unit="sockets"), const(vm["sockets"]))
            add(c, "kubevirt_vm_resource_requests", dict(vl, resource="cpu", unit="threads"), const(vm["threads"]))
            add(c, "kubevirt_vm_resource_requests", dict(vl, resource="memory", unit="bytes"), const(vm["mem"]))
            add(c, "kubevirt_vmi_info", dict(vl, node=vm["node"], os=vm["os"], instance_type=vm["itype"],
                                             guest_os_name=vm["gname"], guest_os_version_id=vm["gver"],
                                             guest_os_arch="amd64", phase="running"), const(1), vm["life"])
            t0, ran = counter_origin(vm["life"], c.key, vm["ns"], vm["name"])
            cpu_base = vm["cpu_base"] if ran is None else vm["cpu_rate"] * ran
            add(c, "kubevirt_vmi_cpu_usage_seconds_total", vl,
                (lambda t0, b, rt: (lambda t: b + rt * (t - t0)))(t0, cpu_base, vm["cpu_rate"]), vm["life"])
            add(c, "kubevirt_vmi_memory_used_bytes", vl,
                wobble((c.key, vm["name"], "mem"), vm["mem_used"], 256, 4096), vm["life"])
            for dev, claim, mode, size in vm["disks"]:
                add(c, "kubevirt_vm_disk_allocated_size_bytes",
                    dict(vl, device=dev, persistentvolumeclaim=claim, volume_mode=mode), const(size))
            add(c, "kubevirt_vm_labels", dict(vl, label_app=vm["name"], label_kubevirt_io_domain=vm["name"]), const(1))

        for gpu in c.gpus:
            gl = {"UUID": gpu["uuid"], "modelName": "NVIDIA A100-SXM4-40GB", "Hostname": gpu["node"],
                  "device": gpu["device"], "gpu": gpu["device"][-1], "exported_pod": gpu["pod"],
                  "exported_namespace": gpu["ns"], "exported_container": gpu["container"],
                  "GPU_I_ID": gpu["gpu_i_id"], "GPU_I_PROFILE": gpu["profile"]}
            k = (c.key, gpu["pod"])
            add(c, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", gl, wobble(k + ("gr",), gpu["util"] / 100, 100, 0.001))
            add(c, "DCGM_FI_DEV_MIG_MAX_SLICES", gl, const(7))
            add(c, "DCGM_FI_DEV_GPU_UTIL", gl, wobble(k + ("util",), round(gpu["util"]), 5))
            add(c, "DCGM_FI_DEV_MEM_COPY_UTIL", gl, wobble(k + ("copy",), round(gpu["util"] / 2), 5))
            add(c, "DCGM_FI_DEV_FB_USED", gl, wobble(k + ("fb",), gpu["fb"], 100))
    return out


def fmt_value(v):
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def write_openmetrics(series, path, lo=None, hi=None):
    """Writes the samples with lo <= timestamp < hi (all when None) as one OpenMetrics file; returns the count."""
    by_family = {}
    for s in series:
        fam = s.name[:-len("_total")] if s.name.endswith("_total") and FAMILY_TYPE.get(s.name[:-6]) == "counter" else s.name
        by_family.setdefault(fam, []).append(s)
    n = 0
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for fam, typ, help_ in FAMILIES:
            members = by_family.pop(fam, [])
            if not members:
                continue
            f.write("# TYPE %s %s\n# HELP %s %s\n" % (fam, typ, fam, help_))
            for s in members:
                a = 0 if lo is None else bisect.bisect_left(s.ts, lo)
                b = len(s.ts) if hi is None else bisect.bisect_left(s.ts, hi)
                if a >= b:
                    continue
                lab = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
                prefix = "%s{%s} " % (s.name, lab)
                f.write("".join("%s%s %d\n" % (prefix, fmt_value(v), t) for t, v in zip(s.ts[a:b], s.vs[a:b])))
                n += b - a
        if by_family:
            raise SystemExit("families missing from FAMILIES: %s" % sorted(by_family))
        f.write("# EOF\n")
    return n


def write_openmetrics_blocks(series, directory, start, end):
    """The same samples split into one OpenMetrics file per 2-hour TSDB block range (promtool re-reads its whole
    input once per block it creates, so per-block files load about ten times faster than one big file)."""
    os.makedirs(directory, exist_ok=True)
    n = 0
    for lo in range(start - start % BLOCK, end + 1, BLOCK):
        n += write_openmetrics(series, os.path.join(directory, "block-%d.om" % lo), lo, lo + BLOCK)
    return n


# --------------------------------------------------------------------------------------------------------------
# Emulation of Prometheus 2.42 range-query evaluation on the raw samples.
# --------------------------------------------------------------------------------------------------------------

class Emulator:
    """Evaluates the bridge's cost queries for one cluster at the given evaluation instants (one range query's grid)."""

    def __init__(self, series, cluster_id, points):
        self.points = points
        self.by_name = {}
        for s in series:
            if s.labels.get("clusterID") == cluster_id:      # the injected clusterID="<id>" matcher
                self.by_name.setdefault(s.name, []).append(s)
        self._cache = {}

    def select(self, name, eq=None, ne=None):
        eq, ne = eq or {}, ne or {}
        return [s for s in self.by_name.get(name, [])
                if all(s.labels.get(k, "") == v for k, v in eq.items())
                and all(s.labels.get(k, "") != v for k, v in ne.items())]

    # per-series evaluation over all points (memoised) ------------------------------------------------------
    def instant(self, s):
        """Instant selector: the latest sample in [t - LOOKBACK, t] (Prometheus 2.x: both ends inclusive)."""
        key = ("i", id(s))
        if key not in self._cache:
            res = []
            for t in self.points:
                i = bisect.bisect_right(s.ts, t) - 1
                res.append(s.vs[i] if i >= 0 and s.ts[i] >= t - LOOKBACK else None)
            self._cache[key] = res
        return self._cache[key]

    def window(self, s, t, rng):
        lo = bisect.bisect_left(s.ts, t - rng)
        hi = bisect.bisect_right(s.ts, t)
        return s.ts[lo:hi], s.vs[lo:hi]

    def sum_over_time(self, s):
        key = ("sot", id(s))
        if key not in self._cache:
            res = []
            for t in self.points:
                _, vs = self.window(s, t, RATE_WINDOW)
                acc = None
                for v in vs:
                    acc = v if acc is None else acc + v
                res.append(acc)
            self._cache[key] = res
        return self._cache[key]

    # vector operations at point index i; a vector is {labelkey(tuple): value}, labels as dict via dict(key) ----
    @staticmethod
    def vec(series, values, i, drop_name=False):
        out = {}
        for s, vals in zip(series, values):
            v = vals[i]
            if v is not None:
                out[s.key if drop_name else s.key_with_name] = v
        return out


_MEMO = {}


def _group_key(key, names):
    """The label key of the `by (names)` group of a series (memoised: label sets repeat at every point)."""
    memo = ("g", key, names)
    g = _MEMO.get(memo)
    if g is None:
        lab = dict(key)
        g = _MEMO[memo] = tuple(sorted((n, lab[n]) for n in names if lab.get(n, "") != ""))
    return g


def _match_key(key, on):
    memo = ("m", key, on)
    k = _MEMO.get(memo)
    if k is None:
        lab = dict(key)
        k = _MEMO[memo] = tuple(lab.get(n, "") for n in on)
    return k


def _joined_key(key, rkey, include):
    memo = ("j", key, rkey, include)
    k = _MEMO.get(memo)
    if k is None:
        lab, rlab = dict(key), dict(rkey)
        lab.pop("__name__", None)
        for n in include:
            if rlab.get(n, "") != "":
                lab[n] = rlab[n]
            else:
                lab.pop(n, None)
        k = _MEMO[memo] = tuple(sorted(lab.items()))
    return k


def agg_by(vec, names, op):
    """sum by / max by: {labelkey: value} -> {labelkey of the `by` labels: value}."""
    out = {}
    for key, v in vec.items():
        g = _group_key(key, names)
        if g not in out:
            out[g] = v
        elif op == "sum":
            out[g] = out[g] + v
        else:
            out[g] = max(out[g], v)
    return out


def mul_group_left(left, right, on, include=()):
    """left * on(on) group_left(include) right; the result keeps the left labels (without __name__)."""
    index = {}
    for key, v in right.items():
        k = _match_key(key, on)
        if k in index:
            raise ValueError("many-to-many matching on %s" % (k,))
        index[k] = (key, v)
    out = {}
    for key, v in left.items():
        k = _match_key(key, on)
        if k not in index:
            continue
        rkey, rv = index[k]
        nk = _joined_key(key, rkey, include)
        if nk in out:
            raise ValueError("duplicate series in group_left result: %s" % (nk,))
        out[nk] = v * rv
    return out


# --------------------------------------------------------------------------------------------------------------
# The bridge's evaluation on the hub's forwarded 5-minute data ("hub evaluation"): which instants each cost query is
# evaluated at by Prometheus (emulated above), and the bridge's own arithmetic on the answers (re-timing, hole
# filling, clipping to the requested hours, counter integration).
# --------------------------------------------------------------------------------------------------------------

INTERVAL = STEP                          # P: the collector interval of the forwarded data
SHIFT = INTERVAL // 2                    # h: gauges are evaluated this much later than the time they are reported at
MAX_FILLED_GAP = 4 * INTERVAL            # G: the longest hole in a gauge series that is filled with the value before it
MARGIN = MAX_FILLED_GAP                  # M: how much is queried beyond the requested hours on each side
EDGE_STEPS = -(-SHIFT // EVAL_STEP)      # n0 = ceil(h / s): steps a counter's start and tail are spread over
TAIL_LIMIT = LOOKBACK + INTERVAL // 2    # a counter that ended runs on only if its last change is less than this old
HOUR_POINTS = 3600 // EVAL_STEP
assert MARGIN % EVAL_STEP == 0 and 3600 % EVAL_STEP == 0

# The two rate queries the bridge evaluates as counters (query name -> the labels of their `sum by`); every other
# cost query is a gauge query.
COUNTERS = {"pod_usage_cpu": ("pod", "namespace", "node"), "vm_cpu_usage": ("name", "namespace")}


class Request:
    """One collection request of the bridge: the whole UTC hours [first, end) of one day.

    Both grids have ``steps`` instants, step index k = 0 at ``first - MARGIN``: gauge queries are evaluated by
    Prometheus at ``first - MARGIN + SHIFT + k*EVAL_STEP`` and their points re-timed to ``first - MARGIN +
    k*EVAL_STEP``; counter queries are evaluated at ``first - MARGIN + k*EVAL_STEP`` (no shift). The points kept are
    the steps ``kept`` (t in [first, end - EVAL_STEP]); hour i of the request is kept[i*60 : i*60+60].
    """

    def __init__(self, first, end):
        assert first % 3600 == 0 and end % 3600 == 0 and end > first
        self.first, self.end = first, end
        self.grid_start = first - MARGIN
        self.steps = (end - EVAL_STEP + MARGIN - self.grid_start) // EVAL_STEP + 1
        self.kept = range(MARGIN // EVAL_STEP, MARGIN // EVAL_STEP + (end - first) // EVAL_STEP)
        self.hours = list(range(first, end, 3600))

    def instants(self, counter):
        """The evaluation instants of a query (what is sent as start, start + step, ..., end)."""
        shift = 0 if counter else SHIFT
        return [self.grid_start + shift + k * EVAL_STEP for k in range(self.steps)]

    def __repr__(self):
        return "Request(%s, %s)" % (iso(self.first), iso(self.end))


def day_requests(hours):
    """The requests the expected values assume: per UTC day, one request for that day's consecutive hours (the
    bridge's unit: one cluster-day; the integration tests request whole days)."""
    reqs = []
    for h in hours:
        if reqs and reqs[-1][1] == h and h % 86400 != 0:
            reqs[-1][1] = h + 3600
        else:
            reqs.append([h, h + 3600])
    return [Request(a, b) for a, b in reqs]


def evaluate_raw(series, cluster_id, req):
    """What Prometheus answers to each cost query of ``req`` (the gauge expressions at the shifted grid, the counter
    expressions at the unshifted grid): {query name: [per step k: {label key: value}]}."""
    em = Emulator(series, cluster_id, req.instants(counter=False))
    emc = Emulator(series, cluster_id, req.instants(counter=True))
    idx = range(req.steps)

    def vector_of(sel, values=None, drop_name=False, e=em):
        vals = values if values is not None else [e.instant(s) for s in sel]
        return [Emulator.vec(sel, vals, i, drop_name) for i in idx]

    q = {}
    # ---- node -------------------------------------------------------------------------------------------------
    node_info = vector_of(em.select("kube_node_info"))
    node_info_max = [agg_by(v, ("node", "provider_id"), "max") for v in node_info]
    for res in ("cpu", "memory"):
        cap = vector_of(em.select("kube_node_status_capacity", eq={"resource": res}))
        q["node_cap_" + res] = [mul_group_left(cap[i], node_info_max[i], ("node",), ("provider_id",)) for i in idx]

    # ---- pod --------------------------------------------------------------------------------------------------
    running = [agg_by(v, ("pod", "namespace"), "max")
               for v in vector_of(em.select("kube_pod_status_phase", eq={"phase": "Running"}))]
    for metric, short in (("kube_pod_container_resource_requests", "request"),
                          ("kube_pod_container_resource_limits", "limit")):
        for res in ("cpu", "memory"):
            sel = em.select(metric, eq={"resource": res}, ne={"pod": "", "namespace": "", "node": ""})
            v = vector_of(sel)
            q["pod_%s_%s" % (short, res)] = [
                agg_by(mul_group_left(v[i], running[i], ("pod", "namespace")), ("pod", "namespace", "node"), "sum")
                for i in idx]
    usage_filter = {"container": "", "pod": "", "namespace": "", "node": ""}
    # counter: container_cpu_usage_seconds_total{container!='', container!='POD', pod!='', namespace!='', node!=''}
    sel = [s for s in emc.select("container_cpu_usage_seconds_total", ne=usage_filter) if s.labels["container"] != "POD"]
    q["pod_usage_cpu"] = vector_of(sel, e=emc)
    sel = [s for s in em.select("container_memory_usage_bytes", ne=usage_filter) if s.labels["container"] != "POD"]
    q["pod_usage_memory"] = [agg_by(v, ("pod", "namespace", "node"), "sum") for v in vector_of(sel)]

    # ---- storage ----------------------------------------------------------------------------------------------
    pvc_info = [agg_by(v, ("namespace", "persistentvolumeclaim", "volumename"), "max")
                for v in vector_of(em.select("kube_persistentvolumeclaim_info", ne={"volumename": ""}))]

    def with_volumename(metric):
        v = vector_of(em.select(metric))
        return [mul_group_left(v[i], pvc_info[i], ("persistentvolumeclaim", "namespace"), ("volumename",)) for i in idx]

    q["pv_pod_info"] = with_volumename("kube_pod_spec_volumes_persistentvolumeclaims_info")
    q["pv_capacity"] = vector_of(em.select("kube_persistentvolume_capacity_bytes", ne={"persistentvolume": ""}))
    q["pvc_request"] = with_volumename("kube_persistentvolumeclaim_resource_requests_storage_bytes")
    q["pvc_usage"] = with_volumename("kubelet_volume_stats_used_bytes")
    q["pvc_labels"] = with_volumename("kube_persistentvolumeclaim_labels")

    # ---- VM ---------------------------------------------------------------------------------------------------
    vmi = [agg_by(v, ("name", "namespace"), "max")
           for v in vector_of(em.select("kubevirt_vmi_info", eq={"phase": "running"}))]
    vmne = {"name": "", "namespace": ""}

    def vm_join(per_point, by=("name", "namespace")):
        return [mul_group_left(agg_by(per_point[i], by, "sum"), vmi[i], ("name", "namespace")) for i in idx]

    for metric, res, unit, name in (("kubevirt_vm_resource_limits", "cpu", None, "vm_cpu_limit"),
                                    ("kubevirt_vm_resource_requests", "cpu", "cores", "vm_cpu_request_cores"),
                                    ("kubevirt_vm_resource_requests", "cpu", "sockets", "vm_cpu_request_sockets"),
                                    ("kubevirt_vm_resource_requests", "cpu", "threads", "vm_cpu_request_threads"),
                                    ("kubevirt_vm_resource_limits", "memory", None, "vm_memory_limit"),
                                    ("kubevirt_vm_resource_requests", "memory", None, "vm_memory_request")):
        eq = {"resource": res}
        if unit:
            eq["unit"] = unit
        q[name] = vm_join(vector_of(em.select(metric, eq=eq, ne=vmne)))
    # counter: kubevirt_vmi_cpu_usage_seconds_total{name!='', namespace!=''}
    #          * on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{phase='running'})
    vmi_c = [agg_by(v, ("name", "namespace"), "max")
             for v in vector_of(emc.select("kubevirt_vmi_info", eq={"phase": "running"}), e=emc)]
    cpu = vector_of(emc.select("kubevirt_vmi_cpu_usage_seconds_total", ne=vmne), e=emc)
    q["vm_cpu_usage"] = [mul_group_left(cpu[i], vmi_c[i], ("name", "namespace")) for i in idx]
    sel = em.select("kubevirt_vmi_memory_used_bytes", ne=vmne)
    q["vm_memory_usage"] = vm_join(vector_of(sel, [em.sum_over_time(s) for s in sel], drop_name=True))
    info = vector_of(em.select("kubevirt_vmi_info", eq={"phase": "running"}))
    info_by = ("name", "namespace", "node", "os", "instance_type", "guest_os_name", "guest_os_version_id",
               "guest_os_arch")
    q["vm_info"] = [mul_group_left(agg_by(info[i], info_by, "sum"), node_info_max[i], ("node",), ("provider_id",))
                    for i in idx]
    q["vm_disk"] = vm_join(vector_of(em.select("kubevirt_vm_disk_allocated_size_bytes", ne=vmne)),
                           by=("name", "namespace", "device", "persistentvolumeclaim", "volume_mode"))
    return q


def _by_series(per_point):
    """[per step k: {key: value}] -> {key: [(k, value), ...] in step order}."""
    out = {}
    for k, vec in enumerate(per_point):
        for key, v in vec.items():
            pts = out.get(key)
            if pts is None:
                pts = out[key] = []
            pts.append((k, v))
    return out


def hub_gauge(per_point, req):
    """A gauge query's answer on the shifted grid -> its points at the kept steps: step k of the answer is re-timed
    to t_k = grid start + k*step; per series, a hole between present points t_a < t_b with t_b - t_a > step and
    t_b - t_a - step <= MAX_FILLED_GAP is filled with the value at t_a; only t in [first, end - step] is kept.
    Returns [per kept step: {key: value}]."""
    k0, k1 = req.kept[0], req.kept[-1]
    out = [{} for _ in req.kept]
    for key, pts in _by_series(per_point).items():
        prev_k = prev_v = None
        for k, v in pts:
            if prev_k is not None and k - prev_k > 1 and (k - prev_k - 1) * EVAL_STEP <= MAX_FILLED_GAP:
                for f in range(max(prev_k + 1, k0), min(k, k1 + 1)):
                    out[f - k0][key] = prev_v
            if k0 <= k <= k1:
                out[k - k0][key] = v
            prev_k, prev_v = k, v
    return out


def hub_counter(per_point, req, group_by):
    """A counter query's answer on the unshifted grid -> per (group_by) group, at every kept step where a member
    series is alive, the member series' summed increase in that step divided by the step (so Σ value × step is the
    counters' increase). Per raw series (its present points (k, v)):

    * change points: the first present point, then every present point whose value differs from the previous one;
    * consecutive change points j < k: increase v_k - v_j (v_k when the counter dropped: a reset), spread evenly
      over the steps j .. k-1 (across holes too);
    * start: a series absent at step 0 (first present step f > 0) while the hub was receiving the query's counters
      (``receiving``: any series of the raw answer, of any group, had a present point at a step j with
      f - MAX_FILLED_GAP/step <= j < f) is a new container that started at 0: v_f / EDGE_STEPS is added to each of
      the steps max(0, f - EDGE_STEPS) .. f-1. Otherwise (the cluster's data begins at f, or comes back after a
      longer outage) the series counted for an unknown time before: v_f is only the baseline of its later increases;
    * tail: a series whose last present step L is before the grid's last step, whose last change point k* has a
      previous change point j, and with (L - k*) * step < TAIL_LIMIT, ran on at its last per-step increase
      (v_k* - v_j)/(k* - j) for the steps k* .. k* + EDGE_STEPS - 1;
    * a series is alive at a step where it has a present point or a nonzero increase.

    Members are added in Prometheus's matrix order (sorted by label set). Returns [per kept step: {group key: value}].
    """
    def spread(acc, a, b, per_step):
        """Adds per_step to the steps a .. b-1 of a group and marks them alive (not when nothing was used)."""
        if per_step == 0:
            return
        inc, alive = acc
        for j in range(a, b):
            inc[j] += per_step
            alive[j] = True

    steps = req.steps
    gap_steps = MAX_FILLED_GAP // EVAL_STEP
    receiving, last_present = [], None
    for k in range(steps):
        receiving.append(last_present is not None and k - last_present <= gap_steps)
        if per_point[k]:
            last_present = k
    groups = {}
    by_series = _by_series(per_point)
    for key in sorted(by_series):                  # Prometheus's matrix order
        pts = by_series[key]
        gk = _group_key(key, group_by)
        acc = groups.get(gk)
        if acc is None:
            acc = groups[gk] = ([0.0] * steps, [False] * steps)
        for k, _ in pts:
            acc[1][k] = True
        first, first_v = pts[0]
        if first > 0 and receiving[first]:
            spread(acc, max(0, first - EDGE_STEPS), first, first_v / EDGE_STEPS)
        change_k, change_v, previous_change, last_rate = first, first_v, None, 0.0
        for k, v in pts[1:]:
            if v == change_v:
                continue
            increase = v - change_v if v >= change_v else v
            last_rate = increase / (k - change_k)
            spread(acc, change_k, k, last_rate)
            previous_change, change_k, change_v = change_k, k, v
        last = pts[-1][0]
        if last < steps - 1 and previous_change is not None and (last - change_k) * EVAL_STEP < TAIL_LIMIT:
            spread(acc, change_k, min(steps, change_k + EDGE_STEPS), last_rate)
    out = []
    for k in req.kept:
        out.append({gk: inc[k] / EVAL_STEP for gk, (inc, alive) in groups.items() if alive[k]})
    return out


def condition(raw, req):
    """The bridge's arithmetic on the answers: {query name: [per kept step: {key: value}]}."""
    return {name: hub_counter(per_point, req, COUNTERS[name]) if name in COUNTERS else hub_gauge(per_point, req)
            for name, per_point in raw.items()}


def hourly(per_point, hour_index, method, keyfn):
    """Collapse one hour of a query's per-point vectors into rows, CMMO style.

    per_point: list (over the kept points) of {labelkey: value}; hour_index: the 60 point indices of the hour.
    Returns {row key: (value, seconds, labels)}; value/seconds None for method None.
    """
    matrix = {}
    for i in hour_index:
        for key, v in per_point[i].items():
            matrix.setdefault(key, []).append(v)
    rows = {}
    for key in sorted(matrix):                     # Prometheus sorts a matrix by label set; last one wins
        vals = matrix[key]
        lab = dict(key)
        if method == "sum":
            acc = 0.0
            for v in vals:
                acc += v
            rows[keyfn(lab)] = (acc, acc * EVAL_STEP, lab)
        elif method == "max":
            m = max(vals)
            rows[keyfn(lab)] = (m, m * EVAL_STEP * len(vals), lab)
        else:
            rows[keyfn(lab)] = (None, None, lab)
    return rows


def hour_rows(q, hour_index):
    """One hour of every cost query (q: {query name: [per kept step: {key: value}]}) -> the expected file's
    {"nodes", "pods", "storage", "vms"} sections, in CMMO's query order (later queries overwrite shared fields)."""
    def nk(lab):
        return lab.get("node", "")

    def pk(lab):
        return "%s/%s" % (lab.get("namespace", ""), lab.get("pod", ""))

    def vk(lab):
        return "%s/%s" % (lab.get("namespace", ""), lab.get("name", ""))

    def rows_into(table, rows, fields):
        """fields: list of (json field, 'value'|'seconds'|label name)."""
        for key, (value, seconds, lab) in rows.items():
            row = table.setdefault(key, {})
            for field, what in fields:
                if what == "value":
                    row[field] = value
                elif what == "seconds":
                    row[field] = seconds
                else:
                    row[field] = lab.get(what, "")

    hi = hour_index
    nodes, pods, storage, vms = {}, {}, {}, {}
    rows_into(nodes, hourly(q["node_cap_cpu"], hi, "max", nk),
              [("node_capacity_cpu_cores", "value"), ("node_capacity_cpu_core_seconds", "seconds")])
    rows_into(nodes, hourly(q["node_cap_memory"], hi, "max", nk),
              [("node_capacity_memory_bytes", "value"), ("node_capacity_memory_byte_seconds", "seconds")])
    for qname, field in (("pod_limit_cpu", "pod_limit_cpu_core_seconds"),
                         ("pod_limit_memory", "pod_limit_memory_byte_seconds"),
                         ("pod_request_cpu", "pod_request_cpu_core_seconds"),
                         ("pod_request_memory", "pod_request_memory_byte_seconds"),
                         ("pod_usage_cpu", "pod_usage_cpu_core_seconds"),
                         ("pod_usage_memory", "pod_usage_memory_byte_seconds")):
        rows_into(pods, hourly(q[qname], hi, "sum", pk), [("node", "node"), (field, "seconds")])
    # storage, in CMMO's query order (later queries overwrite fields they share)
    rows_into(storage, hourly(q["pv_pod_info"], hi, None, lambda l: l.get("volumename", "")),
              [("namespace", "namespace"), ("pod", "pod")])
    rows_into(storage, hourly(q["pv_capacity"], hi, "max", lambda l: l.get("persistentvolume", "")),
              [("persistentvolumeclaim_capacity_bytes", "value"),
               ("persistentvolumeclaim_capacity_byte_seconds", "seconds")])
    rows_into(storage, hourly(q["pvc_request"], hi, "max", lambda l: l.get("volumename", "")),
              [("volume_request_storage_byte_seconds", "seconds")])
    rows_into(storage, hourly(q["pvc_usage"], hi, "sum", lambda l: l.get("volumename", "")),
              [("persistentvolumeclaim_usage_byte_seconds", "seconds")])
    rows_into(storage, hourly(q["pvc_labels"], hi, None, lambda l: l.get("volumename", "")),
              [("namespace", "namespace"), ("persistentvolumeclaim", "persistentvolumeclaim")])
    for qname, method, fields in (
            ("vm_cpu_limit", "max", [("vm_cpu_limit_cores", "value"), ("vm_cpu_limit_core_seconds", "seconds")]),
            ("vm_cpu_request_cores", "max", [("vm_cpu_request_cores", "value"),
                                             ("vm_cpu_request_core_seconds", "seconds")]),
            ("vm_cpu_request_sockets", "max", [("vm_cpu_request_sockets", "value"),
                                               ("vm_cpu_request_socket_seconds", "seconds")]),
            ("vm_cpu_request_threads", "max", [("vm_cpu_request_threads", "value"),
                                               ("vm_cpu_request_thread_seconds", "seconds")]),
            ("vm_cpu_usage", "sum", [("vm_cpu_usage_total_seconds", "seconds")]),
            ("vm_memory_limit", "max", [("vm_memory_limit_bytes", "value"),
                                        ("vm_memory_limit_byte_seconds", "seconds")]),
            ("vm_memory_request", "max", [("vm_memory_request_bytes", "value"),
                                          ("vm_memory_request_byte_seconds", "seconds")]),
            ("vm_memory_usage", "sum", [("vm_memory_usage_byte_seconds", "seconds")]),
            ("vm_info", "sum", [("vm_uptime_total_seconds", "seconds")]),
            ("vm_disk", "max", [("vm_device", "device"), ("vm_disk_allocated_size_byte_seconds", "seconds")])):
        rows_into(vms, hourly(q[qname], hi, method, vk), fields)
    return {"nodes": nodes, "pods": pods, "storage": storage, "vms": vms}


def hour_slices(req):
    """The kept-point indices of each hour of a request."""
    return [range(i * HOUR_POINTS, (i + 1) * HOUR_POINTS) for i in range(len(req.hours))]


def compute_expected(series, cluster, hours):
    result = {}
    for req in day_requests(hours):
        q = condition(evaluate_raw(series, cluster.id, req), req)
        for h, hi in zip(req.hours, hour_slices(req)):
            result[iso(h)] = hour_rows(q, hi)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--end", type=int, default=None,
                    help="unix seconds of the last sample (default: now rounded down to 5 min, minus 5 min)")
    ap.add_argument("--hours", type=int, default=48)
    ap.add_argument("--openmetrics", help="output OpenMetrics file")
    ap.add_argument("--openmetrics-dir", help="also (or instead) write one OpenMetrics file per 2-hour block here")
    ap.add_argument("--expected", help="output JSON file with the values the bridge must produce")
    args = ap.parse_args(argv)
    if not (args.openmetrics or args.openmetrics_dir):
        ap.error("give --openmetrics and/or --openmetrics-dir")

    if args.end is None:
        now = int(time.time())
        end = now - now % STEP - STEP
    else:
        end = args.end - args.end % STEP
    start = end - args.hours * 3600
    clusters = build_model(args.seed, start, end)
    series = build_series(clusters, args.seed, start, end)
    for target, writer in ((args.openmetrics, lambda p: write_openmetrics(series, p)),
                           (args.openmetrics_dir, lambda p: write_openmetrics_blocks(series, p, start, end))):
        if target:
            n = writer(target)
            print("wrote %s: %d series, %d samples, %s .. %s" % (target, len(series), n, iso(start), iso(end)),
                  file=sys.stderr)
    if args.expected:
        first_hour = -(-start // 3600) * 3600
        hours = list(range(first_hour, end - 59 * EVAL_STEP + 1, 3600))
        doc = {
            "format": "thanos-bridge-demo-expected/1",
            "seed": args.seed,
            "data": {"start": start, "end": end, "interval_seconds": STEP},
            "evaluation": {"step_seconds": EVAL_STEP, "points_per_hour": HOUR_POINTS, "lookback_seconds": LOOKBACK,
                           "range_window": "15m", "prometheus_semantics": "2.42",
                           "hub": {"interval_seconds": INTERVAL, "shift_seconds": SHIFT,
                                   "max_filled_gap_seconds": MAX_FILLED_GAP, "margin_seconds": MARGIN,
                                   "counter_edge_steps": EDGE_STEPS, "counter_tail_limit_seconds": TAIL_LIMIT,
                                   "counter_queries": sorted(COUNTERS)},
                           "requests": [{"start": iso(r.first), "end": iso(r.end)} for r in day_requests(hours)]},
            "hours": [iso(h) for h in hours],
            "clusters": [{"id": c.id, "name": c.name, "org_id": c.org_id, "kind": c.kind,
                          "koku_state": c.koku_state, "koku_sql_returns": c.sql_returns,
                          "koku_listener_match": c.listener_match, "has_gpus": bool(c.gpus),
                          "has_vms": bool(c.vms)} for c in clusters],
            "expected": {c.id: compute_expected(series, c, hours) for c in clusters},
        }
        with open(args.expected, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %s: %d hours x %d clusters" % (args.expected, len(hours), len(clusters)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
