"""The hub view: what ACM's metrics-collector (multicluster observability, MCO) forwards from the spoke.

Model (one collector per spoke):

* A forward federates the spoke's Prometheus at time τ: for every series it gets the newest sample whose scrape is
  already ingested (scrape time + target latency <= τ), with that sample's ORIGINAL timestamp, and remote-writes it.
  A series that has ended is not returned: its target's next scrape wrote a staleness marker. No staleness marker is
  forwarded, so on the hub a series just stops.
* After a forward finishes (``forward time`` after τ) the collector sleeps ``interval``: the period is
  interval + forward time, so the instant drifts against the 30-s scrape grid and every few dozen cycles the gap
  between two forwarded sample timestamps is 330 s instead of 300 s.
* A failed forward is retried ``retry_after`` seconds after it failed (each attempt fails with ``retry_prob``).
* Whole cycles are lost now and then: round(``loss_fraction`` x the day's cycles) of them, in bursts of
  1..``loss_burst_max`` placed at random in the day; the collector believes it forwarded, nothing arrives.

Each effect draws from its own random stream, per cycle, so switching one effect off (``--by-cause``) keeps the
others' draws.
"""

import bisect

from model import MS, SCRAPE, sub_rng


class Params:
    def __init__(self, interval_s=300, forward_time_s=1.0, forward_jitter_s=0.3, retry_prob=0.01, retry_after_s=60,
                 loss_fraction=0.015, loss_burst_max=3, drift=True, retries=True, loss=True):
        self.interval_s, self.forward_time_s, self.forward_jitter_s = interval_s, forward_time_s, forward_jitter_s
        self.retry_prob, self.retry_after_s = retry_prob, retry_after_s
        self.loss_fraction, self.loss_burst_max = loss_fraction, loss_burst_max
        self.drift, self.retries, self.loss = drift, retries, loss

    def variant(self, **switches):
        p = Params(**self.__dict__)
        p.__dict__.update(switches)
        return p

    def describe(self):
        return {k: v for k, v in sorted(self.__dict__.items())}


class Timeline:
    """attempts: [(τ ms, status)] with status "ok", "lost" (cycle lost) or "failed" (retried later)."""

    def __init__(self, attempts, cycles_in_day, lost_in_day, failed_in_day):
        self.attempts = attempts
        self.cycles_in_day, self.lost_in_day, self.failed_in_day = cycles_in_day, lost_in_day, failed_in_day

    def delivered(self):
        return [t for t, s in self.attempts if s == "ok"]


def _lost_cycles(r, first, count, fraction, burst_max):
    """round(fraction·count) cycle indices in [first, first+count), in non-overlapping bursts of 1..burst_max
    placed at random (at least one good cycle between two bursts)."""
    want = int(round(fraction * count))
    bursts, total = [], 0
    while total < want:
        n = min(r.randint(1, burst_max), want - total)
        bursts.append(n)
        total += n
    for _ in range(1000):
        taken, lost = set(), set()
        for n in bursts:
            start = r.randrange(first, first + max(1, count - n + 1))
            span = set(range(start - 1, start + n + 1))
            if span & taken:
                break
            taken |= span
            lost |= set(range(start, start + n))
        else:
            return lost
    raise RuntimeError("cannot place %d lost cycles in %d cycles" % (want, count))


def simulate(cluster, params, seed):
    """The collector's attempts over the simulated window."""
    r_phase = sub_rng(seed, "collector", "phase")
    r_ft = sub_rng(seed, "collector", "forward-time")
    r_retry = sub_rng(seed, "collector", "retry")
    r_loss = sub_rng(seed, "collector", "loss")
    interval = params.interval_s * MS
    tau = cluster.t_lo - int(r_phase.uniform(0, interval))    # the collector has been running for a while
    # the lost cycles: a fixed share of the day's cycles (estimated from the nominal period), placed at random
    period = interval + params.forward_time_s * MS
    day_first = int((cluster.day_lo - tau) // period) + 1
    day_count = int((cluster.day_hi - cluster.day_lo) // period)
    lost_set = _lost_cycles(r_loss, day_first, day_count, params.loss_fraction, params.loss_burst_max) \
        if params.loss and params.loss_fraction > 0 else set()
    attempts = []
    cycles = lost = failed = 0
    k = 0
    while tau < cluster.t_hi:
        ft = max(0.05, r_ft.gauss(params.forward_time_s, params.forward_jitter_s))
        ft_ms = int(round(ft * MS)) if params.drift else 0
        # retries: the number of failed attempts before this cycle's forward gets through
        n_fail = 0
        while r_retry.random() < params.retry_prob:
            n_fail += 1
        if not params.retries:
            n_fail = 0
        is_lost = k in lost_set
        for _ in range(n_fail):
            attempts.append((tau, "failed"))
            if cluster.day_lo <= tau < cluster.day_hi:
                failed += 1
            tau += ft_ms + params.retry_after_s * MS
        attempts.append((tau, "lost" if is_lost else "ok"))
        if cluster.day_lo <= tau < cluster.day_hi:
            cycles += 1
            lost += is_lost
        tau += ft_ms + interval
        k += 1
    return Timeline(attempts, cycles, lost, failed)


def newest_index(target, tau):
    """Index of the newest scrape of ``target`` visible at τ (-1 if none)."""
    return (tau - target.latency - target.first) // SCRAPE


def forwarded_indices(cluster, timeline):
    """{target name: sorted scrape indices whose samples the delivered forwards carried}."""
    out = {}
    taus = timeline.delivered()
    for t in cluster.targets:
        idx = set()
        for tau in taus:
            j = newest_index(t, tau)
            if 0 <= j < t.count:
                idx.add(j)
        out[t.name] = sorted(idx)
    return out


def series_indices(series, fwd):
    """The forwarded scrape indices of one series: a forward returns it only while it is alive (i0 <= j < i1)."""
    idx = fwd[series.target.name]
    return idx[bisect.bisect_left(idx, series.i0):bisect.bisect_left(idx, series.i1)]


def running_statuses(pod, ksm, timeline):
    """Statuses of every attempt whose federate would have carried a sample of the pod while it ran
    (kube_pod_status_phase{phase="Running"} = 1, or one of its containers' cAdvisor series)."""
    ranges = [(ksm, ksm.index_at_or_after(pod.running_lo), ksm.index_at_or_after(pod.running_hi))]
    cad = pod.node.cadvisor
    for ct in pod.containers:
        for inst in ct.instances:
            ranges.append((cad, cad.index_at_or_after(inst.lo), cad.index_at_or_after(inst.hi)))
    out = []
    for tau, status in timeline.attempts:
        if any(a <= newest_index(t, tau) < b for t, a, b in ranges):
            out.append(status)
    return out


def gap_histogram(cluster, timeline, target):
    """Gaps (seconds, rounded) between consecutive forwarded sample timestamps of one target, inside the day."""
    idx = forwarded_indices(cluster, timeline)[target.name]
    ts = [target.times[j] for j in idx if cluster.day_lo <= target.times[j] < cluster.day_hi]
    hist = {}
    for a, b in zip(ts, ts[1:]):
        g = int(round((b - a) / MS))
        hist[g] = hist.get(g, 0) + 1
    return dict(sorted(hist.items()))
