"""Synthetic clusters as an ACM hub holds them, written as OpenMetrics (one file per 2-hour TSDB block).

One cluster of P pods (P "pod slots": about P pods exist at any time) over one UTC day plus an hour of margin on
each side, sampled as MCO's metrics-collector forwards it: one sample per series about every 300 s, each with the
ORIGINAL timestamp of the spoke's newest 30-s scrape of its target, so timestamps drift a little (a forward takes
about a second: 270/300/330-s gaps appear, as on a real hub; see tools/hubsim for the full collector model).

Everything is deterministic for (seed, P, cluster index): ``random.Random`` seeded with a string, no wall clock.
Label names follow tools/demodata/generate.py and tools/hubsim/model.py (``clusterID`` and ``cluster`` on every
series, ``container="kube-rbac-proxy-main"`` on kube-state-metrics series without a container label of their own).
No GPU (DCGM) and no KubeVirt series. The ROS families (kube_pod_container_info, kube_pod_owner, the workload
recording rule, the CPU irate recording rule, working set, RSS, CFS throttling, kube_resourcequota, kube_pod_info)
exist for every container as on a real cluster; only a few namespaces opt in to ROS
(``label_insights_cost_management_optimizations="true"``), so ROS queries do their filtering work and return rows.
"""

import math
import random
import uuid

MS = 1000
SCRAPE = 30 * MS               # spoke scrape interval
INTERVAL = 300 * MS            # metrics-collector forwarding interval
HOUR = 3600 * MS
DAY = 24 * HOUR
MARGIN = HOUR
BLOCK = 2 * HOUR               # promtool's block range (aligned to multiples of 2 h since the epoch)
GIB = 1024 ** 3
MIB = 1024 ** 2
KSM = "kube-rbac-proxy-main"
VERSION = 2                    # bump when the generated data changes (part of the cache key)

PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")


def window(day_start_ms):
    """[lo, hi) of the generated data in ms: the day with an hour of margin on each side."""
    return day_start_ms - MARGIN, day_start_ms + DAY + MARGIN


def block_starts(day_start_ms):
    lo, hi = window(day_start_ms)
    return list(range(lo - lo % BLOCK, hi, BLOCK))


def cluster_rng(seed, pods, index, *parts):
    return random.Random("scalebench|%s|%d|%d|%s" % (seed, pods, index, "|".join(str(p) for p in parts)))


def cluster_identity(seed, pods, index):
    r = cluster_rng(seed, pods, index, "id")
    return str(uuid.UUID(int=r.getrandbits(128), version=4)), "sb-p%d-c%02d" % (pods, index)


class Target:
    """A spoke scrape target as seen through the collector: the forwarded sample k carries the timestamp of the
    newest scrape visible at the forward instant tau_k (scrape grid phase + k*30 s, visible after ``latency``)."""

    __slots__ = ("ts", "tline", "bstart")

    def __init__(self, taus, phase, latency, blocks):
        ts = []
        for tau in taus:
            t = tau - latency
            ts.append(t - (t - phase) % SCRAPE)
        self.ts = ts
        self.tline = [" %d.%03d\n" % divmod(t, MS) for t in ts]
        # bstart[b]: first sample index in block b (len(blocks)+1 entries)
        self.bstart, k = [], 0
        for b in blocks + [blocks[-1] + BLOCK]:
            while k < len(ts) and ts[k] < b:
                k += 1
            self.bstart.append(k)

    def index(self, t):
        """First sample index with timestamp >= t."""
        lo, hi = 0, len(self.ts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.ts[mid] < t:
                lo = mid + 1
            else:
                hi = mid
        return lo


class BlockFiles:
    """One OpenMetrics file per 2-hour block; ``emit`` splits a series' samples across them."""

    def __init__(self, paths):
        self.files = [open(p, "w", encoding="ascii", newline="\n", buffering=4 * MIB) for p in paths]
        self.samples = 0

    def family(self, name, typ):
        head = "# TYPE %s %s\n" % (name, typ)
        for f in self.files:
            f.write(head)

    def emit(self, prefix, tgt, k0, k1, values):
        """prefix: 'name{labels} '; values: a str (constant) or a list of str for samples k0..k1-1."""
        if k1 <= k0:
            return
        self.samples += k1 - k0
        bs, tl = tgt.bstart, tgt.tline
        const = isinstance(values, str)
        if const:
            pre = prefix + values
        for b, f in enumerate(self.files):
            a, e = max(k0, bs[b]), min(k1, bs[b + 1])
            if a >= e:
                continue
            if const:
                f.write(pre + pre.join(tl[a:e]))
            else:
                f.write("".join([prefix + v + t for v, t in zip(values[a - k0:e - k0], tl[a:e])]))

    def close(self):
        for f in self.files:
            f.write("# EOF\n")
            f.close()


def _lab(d):
    return ",".join('%s="%s"' % kv for kv in d.items())


def _suffix(r, n=5):
    return "".join(r.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))


def _hash(r, n=10):
    return "".join(r.choice("0123456789bcdfghjklmnpqrstvwxz") for _ in range(n))


class Ctr:
    __slots__ = ("name", "image", "req_cpu", "req_mem", "lim_cpu", "lim_mem", "cpu_base", "mem_base", "throttle")


class Pod:
    __slots__ = ("ns", "name", "node", "owner_kind", "owner_name", "workload", "workload_type", "app", "ctrs",
                 "created", "run_lo", "run_hi", "deleted", "final", "uid", "ip", "pvc")


def build_and_write(seed, pods, index, day_start, out):
    """Builds cluster ``index`` of ``pods`` pods and writes its series into ``out`` (BlockFiles). Returns a summary."""
    cid, cname = cluster_identity(seed, pods, index)
    r = cluster_rng(seed, pods, index, "model")
    lo, hi = window(day_start)
    blocks = block_starts(day_start)
    FAR_PAST, FAR_FUTURE = lo - 30 * DAY, hi + 30 * DAY

    # ---- the collector's forward instants (period = interval + forward time: drifts about 1 s per cycle) ---------
    taus, tau = [], lo + r.randint(0, INTERVAL - 1)
    while tau < hi:
        taus.append(tau)
        tau += INTERVAL + max(50, int(r.gauss(1000, 300)))
    daily = []
    for t in taus:
        phase = ((t - day_start) % DAY) / DAY
        daily.append(0.65 + 0.35 * (1 - abs(2 * phase - 1.1)))   # busier in the (UTC) afternoon

    def target():
        return Target(taus, r.randint(0, SCRAPE - 1), r.randint(100, 900), blocks)

    ksm = target()

    # ---- nodes: about one per 30 pods --------------------------------------------------------------------------
    n_nodes = max(2, int(round(pods / 30.0)))
    n_masters = 3 if n_nodes >= 6 else 1
    zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
    nodes = []
    for i in range(n_nodes):
        master = i < n_masters
        name = "%s-%s-%03d" % (cname, "m" if master else "w", i)
        cpu, mem = (8, 32 * GIB) if master else (16, 64 * GIB)
        zone = zones[i % 3]
        labels = {"label_kubernetes_io_hostname": name, "label_kubernetes_io_os": "linux",
                  "label_node_kubernetes_io_instance_type": "m5.2xlarge" if master else "m5.4xlarge",
                  "label_topology_kubernetes_io_zone": zone}
        roles = ["master", "control-plane"] if master else ["worker"]
        for role in roles:
            labels["label_node_role_kubernetes_io_" + role.replace("-", "_")] = "true"
        nodes.append(dict(name=name, master=master, cpu=cpu, mem=mem, labels=labels, roles=roles,
                          provider_id="aws:///%s/i-0%015x" % (zone, r.getrandbits(60)),
                          kubelet=target(), cadvisor=target()))
    workers = [n for n in nodes if not n["master"]] or nodes

    # ---- namespaces: about one per 10 pods, a fifth of them platform; a few user namespaces opt in to ROS -------
    n_ns = max(6, pods // 10)
    n_platform = max(3, n_ns // 5)
    platform = ["openshift-%s" % w for w in ("monitoring", "ingress", "dns", "image-registry", "console",
                                             "logging", "operators", "marketplace", "network", "storage")]
    platform += ["openshift-extra-%02d" % i for i in range(max(0, n_platform - len(platform)))]
    platform = platform[:n_platform]
    users = ["team-%s-%02d" % (r.choice(["shop", "billing", "web", "data", "ml", "ops", "api", "batch"]), i)
             for i in range(n_ns - n_platform)]
    n_ros = max(3, len(users) // 10)
    ros = set(r.sample(users, min(n_ros, len(users))))
    namespaces = []
    for ns in platform + users:
        labels = {"label_kubernetes_io_metadata_name": ns}
        if ns in ros:
            labels["label_insights_cost_management_optimizations"] = "true"
        namespaces.append((ns, labels))

    # ---- pods --------------------------------------------------------------------------------------------------
    all_pods = []

    def containers(kind_scale=1.0):
        n = r.choices([1, 2, 3], [70, 25, 5])[0]
        names = [r.choice(["app", "web", "worker", "server", "api", "db", "cache"])] + \
            r.sample(["istio-proxy", "oauth-proxy", "log-shipper", "config-reloader"], n - 1)
        out = []
        for j in range(n):
            c = Ctr()
            c.name = names[j]
            c.image = "quay.io/scalebench/%s:1.%d.%d" % (c.name, r.randint(0, 9), r.randint(0, 30))
            c.req_cpu = r.choice([0.01, 0.05, 0.1, 0.1, 0.25, 0.25, 0.5, 1.0]) * (1 if j == 0 else 0.5)
            c.req_mem = r.choice([64, 128, 256, 256, 512, 1024, 2048]) * MIB
            c.lim_cpu = c.req_cpu * r.choice([1, 2, 4]) if r.random() < 0.7 else None
            c.lim_mem = c.req_mem * r.choice([1, 2]) if r.random() < 0.9 else None
            c.cpu_base = c.req_cpu * r.uniform(0.2, 1.2) * kind_scale
            c.mem_base = c.req_mem * r.uniform(0.4, 1.1)
            c.throttle = r.uniform(0.01, 0.1) if c.lim_cpu is not None and r.random() < 0.4 else 0.0
            out.append(c)
        return out

    taken = set()

    def pod(ns, node, owner_kind, owner_name, workload, workload_type, app, name, created, run_lo, run_hi, deleted,
            final="", ctrs=None, kind_scale=1.0):
        while (ns, name) in taken:                  # a random suffix drawn twice: draw another
            name = name + _suffix(r, 1)
        taken.add((ns, name))
        p = Pod()
        p.ns, p.node, p.owner_kind, p.owner_name = ns, node, owner_kind, owner_name
        p.workload, p.workload_type, p.app, p.name = workload, workload_type, app, name
        p.ctrs = ctrs if ctrs is not None else containers(kind_scale)
        p.created, p.run_lo, p.run_hi, p.deleted, p.final = created, run_lo, run_hi, deleted, final
        p.uid = str(uuid.UUID(int=r.getrandbits(128), version=4))
        p.ip = "10.%d.%d.%d" % (128 + r.randint(0, 63), r.randint(0, 255), r.randint(1, 254))
        p.pvc = None
        all_pods.append(p)
        return p

    # daemon sets: two per node
    for n in nodes:
        for ds, ns in (("dns-default", platform[min(2, len(platform) - 1)]), ("node-exporter", platform[0])):
            pod(ns, n, "DaemonSet", ds, ds, "daemonset", ds, "%s-%s" % (ds, _suffix(r)), FAR_PAST, FAR_PAST,
                FAR_FUTURE, FAR_FUTURE)
    slots = max(0, pods - 2 * len(nodes))
    n_jobs = max(1, slots * 3 // 100)
    n_sts = max(1, slots * 8 // 100)
    ns_weights = [0.4 if ns in platform else 1.0 for ns in platform + users]
    ns_names = platform + users
    deployments = {}
    for s in range(slots):
        ns = r.choices(ns_names, ns_weights)[0]
        node = workers[s % len(workers)] if not ns.startswith("openshift-") or r.random() < 0.6 else \
            nodes[s % len(nodes)]
        if s < n_jobs:
            # a job slot: runs of 1-6 h one after the other, kept as Succeeded for a few minutes
            t = lo - r.randint(0, 3 * HOUR)
            cron = "job-%s" % _suffix(r, 4)
            while t < hi:
                run = r.randint(1 * HOUR, 6 * HOUR)
                name = "%s-%d-%s" % (cron, 29000000 + t // 60000 % 1000000, _suffix(r))
                created = t
                run_lo = created + r.randint(2, 40) * MS
                run_hi = run_lo + run
                deleted = run_hi + r.randint(0, 20) * 60 * MS
                pod(ns, node, "Job", name.rsplit("-", 1)[0], cron, "cronjob", cron, name, created, run_lo, run_hi,
                    deleted, final="Succeeded", kind_scale=2.0)
                t = deleted + r.randint(1, 30) * 60 * MS
        elif s < n_jobs + n_sts:
            app = "db-%s" % _suffix(r, 4)
            p = pod(ns, node, "StatefulSet", app, app, "statefulset", app, "%s-0" % app, FAR_PAST, FAR_PAST,
                    FAR_FUTURE, FAR_FUTURE)
            p.pvc = ("data-%s" % p.name, "pvc-" + str(uuid.UUID(int=r.getrandbits(128), version=4)),
                     r.choice(["gp3-csi", "gp2-csi"]), r.choice([1, 5, 10, 20, 50, 100]) * GIB,
                     "vol-0%015x" % r.getrandbits(60))
        else:
            # deployments of 1-5 replicas share a ReplicaSet name
            key = (ns, s // 3)
            if key not in deployments:
                app = r.choice(["frontend", "cart", "search", "api", "auth", "orders", "report", "gateway",
                                "worker", "ingest"]) + "-" + _suffix(r, 3)
                deployments[key] = (app, _hash(r))
            app, rs = deployments[key]
            ctrs = containers()
            if r.random() < 0.05:
                # a rollout mid-day: the old pod ends, a new one (new template hash) starts
                t_new = day_start + r.randint(1, 23) * HOUR + r.randint(0, 3599) * MS
                pod(ns, node, "ReplicaSet", "%s-%s" % (app, rs), app, "deployment", app,
                    "%s-%s-%s" % (app, rs, _suffix(r)), FAR_PAST, FAR_PAST, t_new + 30 * MS, t_new + 30 * MS,
                    ctrs=ctrs)
                rs2 = _hash(r)
                pod(ns, node, "ReplicaSet", "%s-%s" % (app, rs2), app, "deployment", app,
                    "%s-%s-%s" % (app, rs2, _suffix(r)), t_new, t_new + r.randint(2, 20) * MS, FAR_FUTURE,
                    FAR_FUTURE, ctrs=containers())
            else:
                pod(ns, node, "ReplicaSet", "%s-%s" % (app, rs), app, "deployment", app,
                    "%s-%s-%s" % (app, rs, _suffix(r)), FAR_PAST, FAR_PAST, FAR_FUTURE, FAR_FUTURE, ctrs=ctrs)

    # ---- series ------------------------------------------------------------------------------------------------
    base = {"clusterID": cid, "cluster": cname}
    nseries = [0]

    def labels(d, ksm_container=False):
        lab = dict(base)
        if ksm_container and "container" not in d:
            lab["container"] = KSM
        lab.update(d)
        return _lab(lab)

    def emit(name, lab, tgt, k0, k1, values):
        if k1 > k0:
            out.emit("%s{%s} " % (name, lab), tgt, k0, k1, values)
            nseries[0] += 1

    nk = len(taus)

    def fam(name, typ="gauge"):
        out.family(name[:-len("_total")] if typ == "counter" else name, typ)

    # nodes
    for famname, what in (("kube_node_status_capacity", "capacity"), ("kube_node_status_allocatable", "alloc")):
        fam(famname)
        for n in nodes:
            cpu = n["cpu"] if what == "capacity" else n["cpu"] - 0.5
            mem = n["mem"] if what == "capacity" else n["mem"] - 2 * GIB
            for res, unit, v in (("cpu", "core", cpu), ("memory", "byte", mem), ("pods", "integer", 250),
                                 ("ephemeral_storage", "byte", 120 * GIB)):
                emit(famname, labels({"node": n["name"], "resource": res, "unit": unit}, True), ksm, 0, nk, _fmt(v))
    fam("kube_node_info")
    for n in nodes:
        emit("kube_node_info", labels({"node": n["name"], "provider_id": n["provider_id"],
                                       "kernel_version": "5.14.0-427.el9.x86_64",
                                       "os_image": "Red Hat Enterprise Linux CoreOS 417.94",
                                       "container_runtime_version": "cri-o://1.30.4"}, True), ksm, 0, nk, "1")
    fam("kube_node_role")
    for n in nodes:
        for role in n["roles"]:
            emit("kube_node_role", labels({"node": n["name"], "role": role}, True), ksm, 0, nk, "1")
    fam("kube_node_labels")
    for n in nodes:
        emit("kube_node_labels", labels(dict({"node": n["name"]}, **n["labels"]), True), ksm, 0, nk, "1")

    # namespaces and quotas
    fam("kube_namespace_labels")
    for ns, nl in namespaces:
        emit("kube_namespace_labels", labels(dict({"namespace": ns}, **nl), True), ksm, 0, nk, "1")
    fam("kube_resourcequota")
    for ns in sorted(ros):
        for res, hard in (("requests.cpu", "8"), ("limits.cpu", "16"), ("requests.memory", str(16 * GIB)),
                          ("limits.memory", str(32 * GIB))):
            for typ in ("hard", "used"):
                emit("kube_resourcequota", labels({"namespace": ns, "resource": res, "type": typ,
                                                   "resourcequota": "quota"}, True), ksm, 0, nk,
                     hard if typ == "hard" else _fmt(float(hard) * 0.5))

    # pods: ranges of sample indices per pod (kube-state-metrics while the object exists; cAdvisor while running)
    def rng_k(tgt, a, b):
        return tgt.index(max(a, lo)), tgt.index(min(b, hi))

    pod_k = [rng_k(ksm, p.created, p.deleted) for p in all_pods]

    fam("kube_pod_status_phase")
    for p, (k0, k1) in zip(all_pods, pod_k):
        pl = {"namespace": p.ns, "pod": p.name, "uid": p.uid}
        if p.run_lo <= lo and p.run_hi >= hi:
            for ph in PHASES:
                emit("kube_pod_status_phase", labels(dict(pl, phase=ph), True), ksm, k0, k1,
                     "1" if ph == "Running" else "0")
            continue
        states = []
        for k in range(k0, k1):
            t = ksm.ts[k]
            states.append("Pending" if t < p.run_lo else "Running" if t < p.run_hi else (p.final or "Failed"))
        for ph in PHASES:
            emit("kube_pod_status_phase", labels(dict(pl, phase=ph), True), ksm, k0, k1,
                 ["1" if s == ph else "0" for s in states])
    fam("kube_pod_labels")
    for p, (k0, k1) in zip(all_pods, pod_k):
        pl = {"namespace": p.ns, "pod": p.name, "uid": p.uid, "label_app": p.app}
        if p.owner_kind == "ReplicaSet":
            pl["label_pod_template_hash"] = p.owner_name.rsplit("-", 1)[1]
        emit("kube_pod_labels", labels(pl, True), ksm, k0, k1, "1")
    fam("kube_pod_info")
    for p, (k0, k1) in zip(all_pods, pod_k):
        emit("kube_pod_info", labels({"namespace": p.ns, "pod": p.name, "uid": p.uid, "node": p.node["name"],
                                      "created_by_kind": p.owner_kind, "created_by_name": p.owner_name,
                                      "host_ip": "10.0.0.1", "pod_ip": p.ip, "priority_class": ""}, True),
             ksm, k0, k1, "1")
    fam("kube_pod_owner")
    for p, (k0, k1) in zip(all_pods, pod_k):
        emit("kube_pod_owner", labels({"namespace": p.ns, "pod": p.name, "uid": p.uid, "owner_kind": p.owner_kind,
                                       "owner_name": p.owner_name, "owner_is_controller": "true"}, True),
             ksm, k0, k1, "1")
    fam("namespace_workload_pod:kube_pod_owner:relabel")
    for p, (k0, k1) in zip(all_pods, pod_k):
        emit("namespace_workload_pod:kube_pod_owner:relabel",
             labels({"namespace": p.ns, "pod": p.name, "workload": p.workload, "workload_type": p.workload_type}),
             ksm, k0, k1, "1")
    for famname in ("kube_pod_container_resource_requests", "kube_pod_container_resource_limits"):
        fam(famname)
        for p, (k0, k1) in zip(all_pods, pod_k):
            for c in p.ctrs:
                cpu, mem = (c.req_cpu, c.req_mem) if famname.endswith("requests") else (c.lim_cpu, c.lim_mem)
                cl = {"namespace": p.ns, "pod": p.name, "uid": p.uid, "container": c.name, "node": p.node["name"]}
                if cpu is not None:
                    emit(famname, labels(dict(cl, resource="cpu", unit="core")), ksm, k0, k1, _fmt(cpu))
                if mem is not None:
                    emit(famname, labels(dict(cl, resource="memory", unit="byte")), ksm, k0, k1, _fmt(mem))
    fam("kube_pod_container_info")
    for p, (k0, k1) in zip(all_pods, pod_k):
        for c in p.ctrs:
            emit("kube_pod_container_info",
                 labels({"namespace": p.ns, "pod": p.name, "uid": p.uid, "container": c.name, "image": c.image,
                         "image_id": c.image.split(":")[0] + "@sha256:%064x" % r.getrandbits(256),
                         "container_id": "cri-o://%064x" % r.getrandbits(256)}), ksm, k0, k1, "1")

    # cAdvisor series while running: values per forwarded sample
    cad = {"cpu": [], "mem": [], "irate": [], "wss": [], "rss": [], "thr": []}
    for p in all_pods:
        tgt = p.node["cadvisor"]
        k0, k1 = rng_k(tgt, p.run_lo, p.run_hi)
        if k1 <= k0:
            continue
        started_inside = p.run_lo > lo
        for c in p.ctrs:
            cg = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice/crio-%064x.scope" % (
                p.uid.replace("-", "_"), r.getrandbits(256))
            lab = labels({"namespace": p.ns, "pod": p.name, "container": c.name, "node": p.node["name"],
                          "id": cg, "image": c.image, "name": "k8s_%s_%s_%s" % (c.name, p.name, p.ns)})
            ts = tgt.ts
            cpu, mem, irate, wss, rss, thr = [], [], [], [], [], []
            v = 0.0 if started_inside else float(r.randint(10 ** 4, 10 ** 7))
            tv = 0.0 if started_inside else float(r.randint(10 ** 2, 10 ** 5))
            if started_inside:
                v = c.cpu_base * (ts[k0] - p.run_lo) / MS
            level = 0.6
            prev = ts[k0]
            lim = c.lim_cpu
            for k in range(k0, k1):
                rate = c.cpu_base * daily[k] * r.lognormvariate(0, 0.35)
                if lim is not None and rate > lim:
                    rate = lim
                dt = (ts[k] - prev) / MS
                prev = ts[k]
                v += rate * dt
                cpu.append("%.3f" % v)
                irate.append("%.5f" % rate)
                level = min(1.3, max(0.4, level + r.gauss(0.02 if level < 0.9 else 0.0, 0.04)))
                m = int(c.mem_base * level)
                mem.append(str(m >> 12 << 12))
                wss.append(str(int(m * 0.9) >> 12 << 12))
                rss.append(str(int(m * 0.7) >> 12 << 12))
                if c.throttle:
                    tv += rate * c.throttle * dt
                    thr.append("%.3f" % tv)
            cad["cpu"].append((lab, tgt, k0, k1, cpu))
            cad["mem"].append((lab, tgt, k0, k1, mem))
            cad["irate"].append((lab, tgt, k0, k1, irate))
            cad["wss"].append((lab, tgt, k0, k1, wss))
            cad["rss"].append((lab, tgt, k0, k1, rss))
            cad["thr"].append((lab, tgt, k0, k1, thr if c.throttle else "%.1f" % tv))
    for key, name, typ in (("cpu", "container_cpu_usage_seconds_total", "counter"),
                           ("mem", "container_memory_usage_bytes", "gauge"),
                           ("irate", "node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate",
                            "gauge"),
                           ("wss", "container_memory_working_set_bytes", "gauge"),
                           ("rss", "container_memory_rss", "gauge"),
                           ("thr", "container_cpu_cfs_throttled_seconds_total", "counter")):
        fam(name, typ)
        for lab, tgt, k0, k1, vals in cad[key]:
            emit(name, lab, tgt, k0, k1, vals)
    del cad

    # storage: one PVC bound to a PV per stateful set pod
    vols = [p for p in all_pods if p.pvc]
    for famname in ("kube_persistentvolumeclaim_info", "kube_persistentvolumeclaim_resource_requests_storage_bytes",
                    "kube_persistentvolumeclaim_labels", "kube_persistentvolume_capacity_bytes",
                    "kube_persistentvolume_info", "kube_persistentvolume_labels",
                    "kube_pod_spec_volumes_persistentvolumeclaims_info", "kubelet_volume_stats_used_bytes"):
        fam(famname)
        for p in vols:
            claim, pv, sc, size, handle = p.pvc
            vl = {"namespace": p.ns, "persistentvolumeclaim": claim}
            if famname == "kube_persistentvolumeclaim_info":
                emit(famname, labels(dict(vl, storageclass=sc, volumename=pv), True), ksm, 0, nk, "1")
            elif famname == "kube_persistentvolumeclaim_resource_requests_storage_bytes":
                emit(famname, labels(vl, True), ksm, 0, nk, _fmt(size))
            elif famname == "kube_persistentvolumeclaim_labels":
                emit(famname, labels(dict(vl, label_app=p.app), True), ksm, 0, nk, "1")
            elif famname == "kube_persistentvolume_capacity_bytes":
                emit(famname, labels({"persistentvolume": pv}, True), ksm, 0, nk, _fmt(size))
            elif famname == "kube_persistentvolume_info":
                emit(famname, labels({"persistentvolume": pv, "storageclass": sc, "csi_driver": "ebs.csi.aws.com",
                                      "csi_volume_handle": handle}, True), ksm, 0, nk, "1")
            elif famname == "kube_persistentvolume_labels":
                emit(famname, labels({"persistentvolume": pv, "label_topology_kubernetes_io_zone": "us-east-1a"},
                                     True), ksm, 0, nk, "1")
            elif famname == "kube_pod_spec_volumes_persistentvolumeclaims_info":
                emit(famname, labels(dict(vl, pod=p.name, volume="data"), True), ksm, 0, nk, "1")
            else:
                tgt = p.node["kubelet"]
                used = size * r.uniform(0.05, 0.6)
                vals = []
                for k in range(nk):
                    used = min(size, used + r.uniform(0, size * 0.0005))
                    vals.append(str(int(used) >> 12 << 12))
                emit(famname, labels(dict(vl, node=p.node["name"])), tgt, 0, nk, vals)

    return {"id": cid, "name": cname, "nodes": len(nodes), "namespaces": len(namespaces), "ros_namespaces": len(ros),
            "pods_distinct": len(all_pods), "containers": sum(len(p.ctrs) for p in all_pods), "pvcs": len(vols),
            "series": nseries[0]}


def _fmt(v):
    if isinstance(v, int):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def nominal(pods):
    """Rough expected size (for messages): series and samples of one cluster."""
    series = pods * 26
    return series, series * int(math.ceil((DAY + 2 * MARGIN) / INTERVAL))
