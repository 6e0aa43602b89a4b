"""The physical truth of one simulated cluster-day: nodes, pods, containers, volumes, and the metric series a spoke's
Prometheus scrapes from them every 30 s.

Everything is in integer milliseconds since the epoch. Every random choice comes from ``random.Random`` generators
seeded from ``--seed`` (``sub_rng``), never from the wall clock, so one seed always gives the same cluster.

The model keeps the continuous-time truth (piecewise-constant CPU rates, memory, volume usage) so that the "physical"
totals of a day (true CPU-seconds used, true request-seconds while running, ...) can be computed exactly and compared
with what the bridge reports from the spoke view.
"""

import bisect
import random
import uuid

MS = 1000
MIN = 60 * MS
HOUR = 3600 * MS
DAY = 24 * HOUR
SCRAPE = 30 * MS              # spoke scrape interval
MARGIN = HOUR                 # simulated time before 00:00 and after 24:00
GIB = 1024 ** 3
MIB = 1024 ** 2
KSM_CONTAINER = "kube-rbac-proxy-main"


def sub_rng(seed, *parts):
    """An independent generator for one purpose (string seeds are hashed with SHA-512: stable across runs)."""
    return random.Random("hubsim|%s|%s" % (seed, "|".join(str(p) for p in parts)))


def overlap(a, b, lo, hi):
    """Length of [a, b) ∩ [lo, hi) in ms."""
    return max(0, min(b, hi) - max(a, lo))


class Piecewise:
    """A right-continuous step function: vals[i] holds on [times[i], times[i+1]); the last value holds to the end."""

    __slots__ = ("times", "vals")

    def __init__(self, times, vals):
        self.times, self.vals = times, vals

    def at(self, t):
        return self.vals[max(0, bisect.bisect_right(self.times, t) - 1)]

    def integral(self, a, b):
        """∫_a^b in value·seconds (a, b in ms)."""
        if b <= a:
            return 0.0
        times, vals = self.times, self.vals
        i = max(0, bisect.bisect_right(times, a) - 1)
        acc, t = 0.0, a
        while t < b:
            nxt = times[i + 1] if i + 1 < len(times) else b
            end = min(nxt, b)
            acc += vals[i] * (end - t) / MS
            t, i = end, i + 1
        return acc

    def sample(self, ts):
        """Values at the sorted times ``ts``."""
        times, vals = self.times, self.vals
        out, i, n = [], max(0, bisect.bisect_right(times, ts[0]) - 1) if ts else 0, len(times)
        for t in ts:
            while i + 1 < n and times[i + 1] <= t:
                i += 1
            out.append(vals[i])
        return out

    def cumulative(self, t0, base, ts):
        """base + ∫_{t0}^{t} for every t in the sorted ``ts`` (all >= t0): a counter."""
        times, vals = self.times, self.vals
        n = len(times)
        i = max(0, bisect.bisect_right(times, t0) - 1)
        acc, cur = base, t0
        out = []
        for t in ts:
            while i + 1 < n and times[i + 1] <= t:
                acc += vals[i] * (times[i + 1] - cur) / MS
                cur = times[i + 1]
                i += 1
            out.append(acc + vals[i] * (t - cur) / MS)
        return out


class Target:
    """One scrape target of the spoke's Prometheus: scrapes at phase + k·30 s; a scrape's samples become visible
    (to /federate) ``latency`` ms after the scrape's timestamp."""

    def __init__(self, name, phase, latency, t_lo, t_hi):
        self.name, self.phase, self.latency = name, phase, latency
        self.first = t_lo + (phase - t_lo) % SCRAPE          # first scrape >= t_lo
        self.count = (t_hi - self.first + SCRAPE - 1) // SCRAPE
        self.times = [self.first + k * SCRAPE for k in range(self.count)]
        self._tstr = None

    def index_at_or_after(self, t):
        """Index of the first scrape at or after t (may be 0 or count)."""
        if t <= self.first:
            return 0
        return min(self.count, (t - self.first + SCRAPE - 1) // SCRAPE)

    def tstr(self):
        """OpenMetrics timestamps (seconds with milliseconds) of every scrape, formatted once."""
        if self._tstr is None:
            self._tstr = ["%d.%03d" % divmod(t, MS) for t in self.times]
        return self._tstr


class Series:
    """One scraped series: samples at the target's scrapes with index in [i0, i1) (the series exists for scrapes in
    [life_lo, life_hi)). ``kind``: "const" (value), "step" (Piecewise), "counter" (Piecewise rate, t0, base)."""

    __slots__ = ("name", "labels", "target", "i0", "i1", "kind", "value", "t0", "base", "owner", "_vals")

    def __init__(self, name, labels, target, life_lo, life_hi, kind, value, t0=None, base=0.0, owner=None):
        self.name, self.labels, self.target = name, labels, target
        self.i0 = target.index_at_or_after(life_lo)
        self.i1 = target.index_at_or_after(life_hi)
        self.kind, self.value, self.t0, self.base, self.owner = kind, value, t0, base, owner
        self._vals = None

    def values(self):
        """The formatted values of the samples i0..i1-1 (a one-element list for constants)."""
        if self._vals is None:
            if self.kind == "const":
                self._vals = [fmt(self.value)]
            else:
                ts = self.target.times[self.i0:self.i1]
                if not ts:
                    self._vals = []
                elif self.kind == "step":
                    self._vals = [fmt(v) for v in self.value.sample(ts)]
                else:
                    self._vals = [repr(v) for v in self.value.cumulative(self.t0, self.base, ts)]
        return self._vals


def fmt(v):
    if isinstance(v, int):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


class Node:
    def __init__(self, name, roles, cpu, mem, lo, hi, labels, provider_id):
        self.name, self.roles, self.cpu, self.mem, self.lo, self.hi = name, roles, cpu, mem, lo, hi
        self.labels, self.provider_id = labels, provider_id
        self.ksm = self.kubelet = self.cadvisor = None


class Instance:
    """One run of a container (a restart starts a new instance: new cgroup id, counter from 0)."""

    def __init__(self, lo, hi, cid, cpu_base):
        self.lo, self.hi, self.cid, self.cpu_base = lo, hi, cid, cpu_base


class Container:
    def __init__(self, name, image, req_cpu, req_mem, lim_cpu, lim_mem):
        self.name, self.image = name, image
        self.req_cpu, self.req_mem, self.lim_cpu, self.lim_mem = req_cpu, req_mem, lim_cpu, lim_mem
        self.cpu = self.mem = None          # Piecewise over the running time
        self.instances = []


class Pod:
    """created -> (Pending) -> running_lo -> (Running) -> running_hi -> (Succeeded until deleted, for jobs)
    -> deleted."""

    def __init__(self, ns, name, node, kind, containers, created, running_lo, running_hi, deleted, final_phase,
                 labels):
        self.ns, self.name, self.node, self.kind, self.containers = ns, name, node, kind, containers
        self.created, self.running_lo, self.running_hi, self.deleted = created, running_lo, running_hi, deleted
        self.final_phase, self.labels = final_phase, labels
        self.uid = None
        self.pod_cgroup = False


class Volume:
    """A PVC bound to a PV, mounted by one pod while it runs."""

    def __init__(self, ns, pvc, pv, sc, size, pod, pvc_lo, pvc_hi, pv_lo, pv_hi, used, handle):
        self.ns, self.pvc, self.pv, self.sc, self.size, self.pod = ns, pvc, pv, sc, size, pod
        self.pvc_lo, self.pvc_hi, self.pv_lo, self.pv_hi = pvc_lo, pvc_hi, pv_lo, pv_hi
        self.used, self.handle = used, handle


class Cluster:
    def __init__(self, seed, day_start):
        self.seed = seed
        self.day_lo, self.day_hi = day_start, day_start + DAY
        self.t_lo, self.t_hi = day_start - MARGIN, day_start + DAY + MARGIN
        r = sub_rng(seed, "cluster")
        self.id = str(uuid.UUID(int=r.getrandbits(128), version=4))
        self.name = "hubsim-%d" % seed
        self.nodes, self.pods, self.volumes, self.namespaces = [], [], [], []
        self.targets = []
        self.series = []


# ----------------------------------------------------------------------------------------------------------------
# Building the cluster
# ----------------------------------------------------------------------------------------------------------------

def _suffix(r, n=5):
    return "".join(r.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))


def _hash(r):
    return "%x" % r.getrandbits(36)


def _cpu_rate(r, c, lo, hi, base, day_lo):
    """Piecewise-constant CPU rate (cores) over [lo, hi): segments of 1–20 min, log-normal around a daily curve."""
    times, vals = [], []
    t = lo
    cap = c.lim_cpu if c.lim_cpu else None
    while t < hi:
        phase = ((t - day_lo) % DAY) / DAY
        daily = 0.65 + 0.35 * (1 - abs(2 * phase - 1.1))          # busier in the (UTC) afternoon
        v = base * daily * r.lognormvariate(0, 0.45)
        if cap is not None:
            v = min(v, cap)
        times.append(t)
        vals.append(round(v, 6))
        t += r.randint(60, 1200) * MS + r.randint(0, 999)
    return Piecewise(times, vals)


def _mem(r, lo, hi, base):
    """Piecewise-constant memory (bytes, 4 KiB multiples): ramps up in the first minutes, then wanders."""
    times, vals = [], []
    t, level = lo, 0.55
    while t < hi:
        level = min(1.35, max(0.5, level + r.gauss(0.04 if level < 0.9 else 0.0, 0.05)))
        times.append(t)
        vals.append(int(base * level) // 4096 * 4096)
        t += r.randint(30, 600) * MS + r.randint(0, 999)
    return Piecewise(times, vals)


def build_cluster(seed, day_start):
    c = Cluster(seed, day_start)
    r = sub_rng(seed, "model")
    D, T0, T1 = c.day_lo, c.t_lo, c.t_hi
    FAR_PAST, FAR_FUTURE = T0 - 30 * DAY, T1 + 30 * DAY

    def ms_at(hours, minutes_lo=0, minutes_hi=59):
        """A time about ``hours`` after 00:00, at a random minute and second (mid-hour)."""
        return (D + int(hours * HOUR) + r.randint(minutes_lo, minutes_hi) * MIN + r.randint(1, 59) * MS
                + r.randint(0, 999))

    # ---- nodes ----------------------------------------------------------------------------------------------------
    zone = r.choice(["us-east-1a", "us-east-1b", "eu-west-1c"])

    def node(name, roles, cpu, mem_gib, lo=FAR_PAST, hi=FAR_FUTURE, itype="m5.4xlarge"):
        labels = {"label_kubernetes_io_hostname": name, "label_kubernetes_io_os": "linux",
                  "label_node_kubernetes_io_instance_type": itype, "label_topology_kubernetes_io_zone": zone}
        for role in roles:
            labels["label_node_role_kubernetes_io_" + role.replace("-", "_")] = "true"
        n = Node(name, roles, cpu, mem_gib * GIB, lo, hi, labels, "aws:///%s/i-0%015x" % (zone, r.getrandbits(60)))
        c.nodes.append(n)
        return n

    cn = c.name
    m0 = node(cn + "-master-0", ["master", "control-plane"], 8, 32, itype="m5.2xlarge")
    w0 = node(cn + "-worker-0", ["worker"], 16, 64)
    w1 = node(cn + "-worker-1", ["worker"], 16, 64)
    join = ms_at(7)                                    # a node that joins mid-day
    leave = ms_at(15)                                  # and one that leaves mid-day
    w2 = node(cn + "-worker-2", ["worker"], 32, 128, lo=join, itype="m5.8xlarge")
    w3 = node(cn + "-worker-3", ["worker"], 16, 64, hi=leave)

    # ---- namespaces -----------------------------------------------------------------------------------------------
    for ns in ("shop", "billing", "web", "analytics", "batch", "openshift-monitoring", "openshift-ingress",
               "openshift-dns"):
        labels = {"label_kubernetes_io_metadata_name": ns}
        if not ns.startswith("openshift-"):
            labels["label_cost_management_optimizations"] = "true"
        c.namespaces.append((ns, labels))

    # ---- pods -----------------------------------------------------------------------------------------------------
    def ctr(name, req_cpu, req_mem_mib, lim_cpu=None, lim_mem_mib=None):
        return Container(name, "quay.io/hubsim/%s:1.%d" % (name, r.randint(0, 9)), req_cpu, req_mem_mib * MIB,
                         lim_cpu, None if lim_mem_mib is None else lim_mem_mib * MIB)

    def pod(ns, name, n, kind, containers, created=FAR_PAST, run_for=None, deleted=None, final="", app=None,
            pending_s=None, cpu_scale=1.0):
        """run_for: ms of Running (None: until deleted / forever); final: "Succeeded" keeps the pod until deleted."""
        pending = (r.randint(2, 40) if pending_s is None else pending_s) * MS + r.randint(0, 999)
        running_lo = created + pending
        if run_for is None:
            running_hi = deleted if deleted is not None else FAR_FUTURE
        else:
            running_hi = running_lo + run_for
        if deleted is None:
            deleted = running_hi if not final else FAR_FUTURE
        labels = {"label_app": app or name.rsplit("-", 2)[0]}
        p = Pod(ns, name, n, kind, containers, created, running_lo, running_hi, deleted, final, labels)
        p.uid = str(uuid.UUID(int=r.getrandbits(128), version=4))
        for ct in containers:
            base = (ct.req_cpu or 0.1) * r.uniform(0.3, 1.1) * cpu_scale
            lo, hi = max(running_lo, T0 - HOUR), min(running_hi, T1 + HOUR)
            ct.cpu = _cpu_rate(r, ct, lo, hi, base, D)
            ct.mem = _mem(r, lo, hi, (ct.req_mem or 256 * MIB) * r.uniform(0.4, 1.2))
            ct.instances = [Instance(running_lo, running_hi, "%064x" % r.getrandbits(256),
                                     0.0 if running_lo >= T0 else float(r.randint(10 ** 4, 10 ** 7)))]
        c.pods.append(p)
        return p

    def deploy_name(app):
        return "%s-%s-%s" % (app, _hash(r)[:9], _suffix(r))

    # long-running workloads (whole simulated window)
    for app, ns, n, ctrs in (
            ("frontend", "shop", w0, lambda: [ctr("web", 0.5, 512, 1.0, 1024), ctr("istio-proxy", 0.1, 128, 0.5, 256)]),
            ("frontend", "shop", w1, lambda: [ctr("web", 0.5, 512, 1.0, 1024), ctr("istio-proxy", 0.1, 128, 0.5, 256)]),
            ("cart", "shop", w0, lambda: [ctr("cart", 0.25, 384, 0.5, 768)]),
            ("invoice-worker", "billing", w1, lambda: [ctr("worker", 0.25, 256, None, 512)]),
            ("nginx", "web", w0, lambda: [ctr("nginx", 0.25, 256, 0.5, 512)]),
            ("nginx", "web", w1, lambda: [ctr("nginx", 0.25, 256, 0.5, 512)]),
            ("search", "web", w1, lambda: [ctr("search", 1.0, 2048, 2.0, 4096)]),
            ("alertmanager", "openshift-monitoring", m0, lambda: [ctr("alertmanager", 0.04, 200)]),
            ("router-default", "openshift-ingress", m0, lambda: [ctr("router", 0.1, 256)])):
        pod(ns, deploy_name(app), n, "ReplicaSet", ctrs(), app=app)
    pg = pod("shop", "postgres-0", w1, "StatefulSet", [ctr("postgres", 1.0, 2048, 2.0, 4096)], app="postgres")
    pod("web", "redis-0", w0, "StatefulSet", [ctr("redis", 0.5, 1024, 1.0, 2048)], app="redis")
    prom = pod("openshift-monitoring", "prometheus-k8s-0", m0, "StatefulSet",
               [ctr("prometheus", 0.07, 1024), ctr("config-reloader", 0.01, 10)], app="prometheus")
    prom.pod_cgroup = True
    pg.pod_cgroup = True

    # a container restart (CRI-O: new cgroup id, counter from 0) in the cart pod
    cart = next(p for p in c.pods if p.name.startswith("cart-"))
    crash = ms_at(12)
    ct = cart.containers[0]
    first = ct.instances[0]
    ct.instances.append(Instance(crash + r.randint(3, 20) * MS + r.randint(0, 999), first.hi,
                                 "%064x" % r.getrandbits(256), 0.0))
    first.hi = crash

    # daemonset pods: one per node, living as long as the node
    for n in c.nodes:
        created = max(n.lo, FAR_PAST) + (r.randint(20, 60) * MS if n.lo > FAR_PAST else 0)
        deleted = n.hi - r.randint(60, 120) * MS if n.hi < FAR_FUTURE else None
        pod("openshift-dns", "dns-default-" + _suffix(r), n, "DaemonSet", [ctr("dns", 0.05, 70)], created=created,
            deleted=deleted, app="dns-default")

    # the leaving node is drained 5–10 min before it goes: two pods end there, replacements start elsewhere
    drain = leave - r.randint(300, 600) * MS
    for app, ns, tgt in (("checkout", "shop", w0), ("reports-api", "billing", w1)):
        mk = lambda: [ctr(app.split("-")[0], 0.5, 768, 1.0, 1536)]
        pod(ns, deploy_name(app), w3, "ReplicaSet", mk(), deleted=drain + r.randint(0, 30) * MS, app=app)
        pod(ns, deploy_name(app), tgt, "ReplicaSet", mk(), created=drain + r.randint(1, 5) * MS, app=app)

    # the joining node gets two new replicas a few minutes after it is ready
    for app, ns in (("frontend", "shop"), ("search", "web")):
        pod(ns, deploy_name(app), w2, "ReplicaSet", [ctr(app, 0.5, 1024, 1.0, 2048)],
            created=join + r.randint(120, 600) * MS, app=app)

    # a rollout mid-hour: the old api pods end, new ones start (different template hash)
    rollout = ms_at(10)
    old_hash, new_hash = _hash(r)[:9], _hash(r)[:9]
    for i, n in enumerate((w0, w1)):
        mk = lambda: [ctr("api", 0.5, 512, 1.0, 1024)]
        t_new = rollout + i * r.randint(40, 90) * MS
        pod("billing", "api-%s-%s" % (new_hash, _suffix(r)), n, "ReplicaSet", mk(), created=t_new, app="api")
        pod("billing", "api-%s-%s" % (old_hash, _suffix(r)), n, "ReplicaSet", mk(),
            deleted=t_new + r.randint(15, 45) * MS, app="api")

    # pods of several hours that start and stop mid-hour (one with a PVC created for it)
    etl_start = ms_at(4)
    etl = pod("analytics", "etl-run-%s" % _suffix(r), w0, "Job", [ctr("etl", 1.5, 3072, 3.0, 6144)],
              created=etl_start + 20 * MS, run_for=r.randint(5 * 60, 6 * 60) * MIN + r.randint(0, 59999),
              final="Succeeded", cpu_scale=1.4)
    etl.deleted = etl.running_hi + r.randint(2, 8) * MIN
    pod("analytics", deploy_name("report-builder"), w1, "ReplicaSet", [ctr("builder", 0.75, 1536, 1.5, 3072)],
        created=ms_at(13), run_for=r.randint(4 * 60 + 10, 7 * 60) * MIN + r.randint(0, 59999), app="report-builder")
    pod("web", deploy_name("canary"), w0, "ReplicaSet", [ctr("canary", 0.25, 256, 0.5, 512)],
        created=ms_at(1), run_for=r.randint(70, 200) * MIN + r.randint(0, 59999), app="canary")

    # short jobs (2–40 min), some kept as Succeeded for a while
    for i in range(10):
        start = D + r.randint(5, 23 * 60 + 40) * MIN + r.randint(0, 59999)
        if i == 0:
            start = D - r.randint(10, 25) * MIN        # one that crosses 00:00
        if i == 1:
            start = D + DAY - r.randint(10, 25) * MIN  # one that crosses 24:00
        run = r.randint(2 * 60, 40 * 60) * MS + r.randint(0, 999)
        n = r.choice([w0, w1] + ([w2] if start > join + 15 * MIN else []) + ([w3] if start + run < drain else []))
        keep = r.random() < 0.5
        p = pod("batch", "import-%d-%s" % (28390000 + i * 37, _suffix(r)), n, "Job",
                [ctr("import", r.choice([0.25, 0.5, 1.0, 2.0]), r.choice([256, 512, 1024]), None, 2048)],
                created=start, run_for=run, final="Succeeded" if keep else "", cpu_scale=2.5)
        if keep:
            p.deleted = p.running_hi + r.randint(1, 15) * MIN

    # a cron job every 3 h, 3–6 min each
    for h in range(0, 24, 3):
        start = D + h * HOUR + r.randint(1, 2) * MIN + r.randint(0, 59999)
        pod("batch", "cleanup-%d-%s" % (29000000 + h, _suffix(r)), r.choice([w0, w1]), "Job",
            [ctr("cleanup", 0.1, 128, 0.5, 256)], created=start, run_for=r.randint(3 * 60, 6 * 60) * MS,
            final="Succeeded", deleted=None, cpu_scale=3.0).deleted = start + HOUR * 2 + r.randint(0, 59) * MIN

    # ---- volumes --------------------------------------------------------------------------------------------------
    def used_curve(lo, hi, start_gib, growth_per_min):
        times, vals = [], []
        t, v = lo, int(start_gib * GIB)
        while t < hi:
            times.append(t)
            vals.append(v // 4096 * 4096)
            v += int(growth_per_min * r.uniform(0.2, 1.8))
            t += MIN
        return Piecewise(times or [lo], vals or [0])

    c.volumes.append(Volume("shop", "data-postgres-0", "pvc-" + str(uuid.UUID(int=r.getrandbits(128), version=4)),
                            "gp3-csi", 20 * GIB, pg, FAR_PAST, FAR_FUTURE, FAR_PAST, FAR_FUTURE,
                            used_curve(max(pg.running_lo, T0), T1, 6.5, 180 * 1024), "vol-0%015x" % r.getrandbits(60)))
    pvc_lo = etl_start
    c.volumes.append(Volume("analytics", "scratch-etl", "pvc-" + str(uuid.UUID(int=r.getrandbits(128), version=4)),
                            "gp2-csi", 100 * GIB, etl, pvc_lo, etl.deleted + 40 * MS, pvc_lo + 6 * MS,
                            etl.deleted + 55 * MS, used_curve(etl.running_lo, etl.running_hi, 0.2, 40 * MIB),
                            "vol-0%015x" % r.getrandbits(60)))
    # more long-lived volumes, as on a real cluster (the storage totals are not all edges of one short volume)
    redis = next(p for p in c.pods if p.name == "redis-0")
    for ns, claim, p, sc, size, start_gib, growth in (
            ("openshift-monitoring", "prometheus-data-prometheus-k8s-0", prom, "gp3-csi", 100, 41, 2 * MIB),
            ("web", "data-redis-0", redis, "gp3-csi", 8, 2, 16 * 1024)):
        c.volumes.append(Volume(ns, claim, "pvc-" + str(uuid.UUID(int=r.getrandbits(128), version=4)), sc,
                                size * GIB, p, FAR_PAST, FAR_FUTURE, FAR_PAST, FAR_FUTURE,
                                used_curve(max(p.running_lo, T0), T1, start_gib, growth),
                                "vol-0%015x" % r.getrandbits(60)))

    build_series(c, seed)
    return c


# ----------------------------------------------------------------------------------------------------------------
# Series
# ----------------------------------------------------------------------------------------------------------------

def build_series(c, seed):
    r = sub_rng(seed, "targets")
    T0, T1 = c.t_lo, c.t_hi

    def target(name, latency_lo, latency_hi):
        phase = r.randint(0, 29) * MS + r.randint(1, 999)           # never on a whole second
        t = Target(name, phase, r.randint(latency_lo, latency_hi), T0, T1)
        c.targets.append(t)
        return t

    ksm = target("kube-state-metrics", 150, 900)
    for n in c.nodes:
        n.kubelet = target("kubelet/" + n.name, 20, 200)
        n.cadvisor = target("cadvisor/" + n.name, 100, 700)
    base = {"clusterID": c.id, "cluster": c.name}
    out = c.series

    def add(name, labels, tgt, lo, hi, kind, value, ksm_container=False, **kw):
        lab = dict(base)
        if ksm_container and "container" not in labels:
            lab["container"] = KSM_CONTAINER
        lab.update(labels)
        s = Series(name, lab, tgt, max(lo, T0), min(hi, T1), kind, value, **kw)
        if s.i1 > s.i0:
            out.append(s)
        return s

    for n in c.nodes:
        nl = {"node": n.name}
        for fam, cpu, mem in (("kube_node_status_capacity", n.cpu, n.mem),
                              ("kube_node_status_allocatable", n.cpu - 0.5, n.mem - 2 * GIB)):
            add(fam, dict(nl, resource="cpu", unit="core"), ksm, n.lo, n.hi, "const", cpu, True, owner=n)
            add(fam, dict(nl, resource="memory", unit="byte"), ksm, n.lo, n.hi, "const", mem, True, owner=n)
        add("kube_node_info", dict(nl, provider_id=n.provider_id, kernel_version="5.14.0-427.el9.x86_64",
                                   os_image="Red Hat Enterprise Linux CoreOS 417.94",
                                   container_runtime_version="cri-o://1.30.4"), ksm, n.lo, n.hi, "const", 1, True,
            owner=n)
        for role in n.roles:
            add("kube_node_role", dict(nl, role=role), ksm, n.lo, n.hi, "const", 1, True, owner=n)
        add("kube_node_labels", dict(nl, **n.labels), ksm, n.lo, n.hi, "const", 1, True, owner=n)

    for ns, labels in c.namespaces:
        add("kube_namespace_labels", dict(namespace=ns, **labels), ksm, T0, T1, "const", 1, True)

    for p in c.pods:
        pl = {"namespace": p.ns, "pod": p.name}
        for phase in ("Pending", "Running", "Succeeded", "Failed"):
            if phase == "Pending":
                pw = Piecewise([p.created, p.running_lo], [1, 0])
            elif phase == "Running":
                pw = Piecewise([p.created, p.running_lo, p.running_hi], [0, 1, 0])
            elif phase == "Succeeded" and p.final_phase == "Succeeded":
                pw = Piecewise([p.created, p.running_hi], [0, 1])
            else:
                pw = Piecewise([p.created], [0])
            add("kube_pod_status_phase", dict(pl, phase=phase, uid=p.uid), ksm, p.created, p.deleted, "step", pw, True,
                owner=p)
        add("kube_pod_labels", dict(pl, uid=p.uid, **p.labels), ksm, p.created, p.deleted, "const", 1, True, owner=p)
        for ct in p.containers:
            kl = dict(pl, container=ct.name, node=p.node.name, uid=p.uid)
            for fam, cpu, mem in (("kube_pod_container_resource_requests", ct.req_cpu, ct.req_mem),
                                  ("kube_pod_container_resource_limits", ct.lim_cpu, ct.lim_mem)):
                if cpu is not None:
                    add(fam, dict(kl, resource="cpu", unit="core"), ksm, p.created, p.deleted, "const", cpu, owner=p)
                if mem is not None:
                    add(fam, dict(kl, resource="memory", unit="byte"), ksm, p.created, p.deleted, "const", mem,
                        owner=p)
            for inst in ct.instances:
                cg = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice/crio-%s.scope" % (
                    p.uid.replace("-", "_"), inst.cid)
                cl = dict(pl, container=ct.name, node=p.node.name, id=cg, name=inst.cid, image=ct.image)
                add("container_cpu_usage_seconds_total", cl, p.node.cadvisor, inst.lo, inst.hi, "counter", ct.cpu,
                    t0=max(inst.lo, T0), base=inst.cpu_base, owner=p)
                add("container_memory_usage_bytes", cl, p.node.cadvisor, inst.lo, inst.hi, "step", ct.mem, owner=p)
        if p.pod_cgroup:
            # the pod-level cgroup (no container label): the cost queries filter it out
            cg = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod%s.slice" % p.uid.replace("-", "_")
            cl = dict(pl, node=p.node.name, id=cg)
            total = p.containers[0].cpu
            add("container_cpu_usage_seconds_total", cl, p.node.cadvisor, p.running_lo, p.running_hi, "counter",
                total, t0=max(p.running_lo, T0), base=123456.5, owner=p)
            add("container_memory_usage_bytes", cl, p.node.cadvisor, p.running_lo, p.running_hi, "const", 3 * GIB,
                owner=p)

    for v in c.volumes:
        vl = {"namespace": v.ns, "persistentvolumeclaim": v.pvc}
        add("kube_persistentvolumeclaim_info", dict(vl, storageclass=v.sc, volumename=v.pv), ksm, v.pvc_lo + 5 * MS,
            v.pvc_hi, "const", 1, True, owner=v)
        add("kube_persistentvolumeclaim_resource_requests_storage_bytes", vl, ksm, v.pvc_lo, v.pvc_hi, "const",
            v.size, True, owner=v)
        add("kube_persistentvolumeclaim_labels", dict(vl, label_app=v.pod.labels["label_app"]), ksm, v.pvc_lo,
            v.pvc_hi, "const", 1, True, owner=v)
        add("kube_persistentvolume_capacity_bytes", {"persistentvolume": v.pv}, ksm, v.pv_lo, v.pv_hi, "const",
            v.size, True, owner=v)
        add("kube_persistentvolume_info", {"persistentvolume": v.pv, "storageclass": v.sc,
                                           "csi_driver": "ebs.csi.aws.com", "csi_volume_handle": v.handle},
            ksm, v.pv_lo, v.pv_hi, "const", 1, True, owner=v)
        add("kube_persistentvolume_labels", {"persistentvolume": v.pv, "label_topology_kubernetes_io_zone": "zone-a"},
            ksm, v.pv_lo, v.pv_hi, "const", 1, True, owner=v)
        p = v.pod
        add("kube_pod_spec_volumes_persistentvolumeclaims_info", dict(vl, pod=p.name, volume="data"), ksm, p.created,
            p.deleted, "const", 1, True, owner=v)
        add("kubelet_volume_stats_used_bytes", dict(vl, node=p.node.name), p.node.kubelet, p.running_lo,
            p.running_hi, "step", v.used, owner=v)


# ----------------------------------------------------------------------------------------------------------------
# Physical truth of the day
# ----------------------------------------------------------------------------------------------------------------

def truth(c):
    """Exact totals over [00:00, 24:00) of the day, per pod and per volume and for the cluster."""
    lo, hi = c.day_lo, c.day_hi
    pods = {}
    for p in c.pods:
        run = overlap(p.running_lo, p.running_hi, lo, hi) / MS
        row = dict.fromkeys(("pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds",
                             "pod_limit_cpu_core_seconds", "pod_usage_memory_byte_seconds",
                             "pod_request_memory_byte_seconds", "pod_limit_memory_byte_seconds"), 0.0)
        for ct in p.containers:
            row["pod_request_cpu_core_seconds"] += (ct.req_cpu or 0) * run
            row["pod_request_memory_byte_seconds"] += (ct.req_mem or 0) * run
            row["pod_limit_cpu_core_seconds"] += (ct.lim_cpu or 0) * run
            row["pod_limit_memory_byte_seconds"] += (ct.lim_mem or 0) * run
            for inst in ct.instances:
                a, b = max(inst.lo, lo), min(inst.hi, hi)
                row["pod_usage_cpu_core_seconds"] += ct.cpu.integral(a, b)
                row["pod_usage_memory_byte_seconds"] += ct.mem.integral(a, b)
        pods[(p.ns, p.name)] = row
    nodes = {n.name: {"node_capacity_cpu_core_seconds": n.cpu * overlap(n.lo, n.hi, lo, hi) / MS,
                      "node_capacity_memory_byte_seconds": n.mem * overlap(n.lo, n.hi, lo, hi) / MS}
             for n in c.nodes}
    vols = {}
    for v in c.volumes:
        p = v.pod
        vols[v.pv] = {
            "persistentvolumeclaim_capacity_byte_seconds": v.size * overlap(v.pv_lo, v.pv_hi, lo, hi) / MS,
            "volume_request_storage_byte_seconds": v.size * overlap(v.pvc_lo + 5 * MS, v.pvc_hi, lo, hi) / MS,
            "persistentvolumeclaim_usage_byte_seconds": v.used.integral(max(p.running_lo, lo), min(p.running_hi, hi)),
        }
    total = {}
    for group in (pods, nodes, vols):
        for row in group.values():
            for k, val in row.items():
                total[k] = total.get(k, 0.0) + val
    return {"pods": pods, "nodes": nodes, "volumes": vols, "total": total}

