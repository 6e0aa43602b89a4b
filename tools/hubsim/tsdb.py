"""OpenMetrics writing, TSDB blocks with promtool, and local Prometheus servers (127.0.0.1 only).

The OpenMetrics files are split at the 2-hour TSDB block boundaries (multiples of 2 h since the epoch), one file per
block, because promtool re-reads its whole input once per block it creates (the same approach as
tools/demodata/generate.py).
"""

import bisect
import concurrent.futures
import os
import shutil
import subprocess
import sys
import time

from model import MS

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import localprom  # noqa: E402  (tools/localprom.py, shared with tools/scalebench)

BLOCK = 7200 * MS
COUNTERS = {"container_cpu_usage_seconds_total"}


def _escape(v):
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def write_blocks(entries, directory, t_lo, t_hi):
    """Writes OpenMetrics, one file per 2-hour block, into ``directory``. ``entries``: [(series, labels, indices)],
    the samples being the series' values at the given scrape indices (sorted), under the given labels.
    Returns (files, samples)."""
    os.makedirs(directory, exist_ok=True)
    families = {}
    for e in entries:
        families.setdefault(e[0].name, []).append(e)
    prepared = []
    for name, members in families.items():
        fam, typ = (name[:-len("_total")], "counter") if name in COUNTERS else (name, "gauge")
        rows = []
        for s, labels, idx in members:
            if not len(idx):
                continue
            lab = ",".join('%s="%s"' % (k, _escape(v)) for k, v in sorted(labels.items()))
            rows.append((s, "%s{%s} " % (name, lab), idx))
        if rows:
            prepared.append(("# TYPE %s %s\n" % (fam, typ), rows))
    files, total = [], 0
    for blo in range(t_lo - t_lo % BLOCK, t_hi, BLOCK):
        bhi = blo + BLOCK
        parts, n = [], 0
        for header, rows in prepared:
            fam_parts = []
            for s, prefix, idx in rows:
                t = s.target
                a = bisect.bisect_left(idx, t.index_at_or_after(blo))
                b = bisect.bisect_left(idx, t.index_at_or_after(bhi))
                if a >= b:
                    continue
                tstr = t.tstr()
                vals = s.values()
                if s.kind == "const":
                    v = prefix + vals[0] + " "
                    fam_parts.append("".join([v + tstr[k] + "\n" for k in idx[a:b]]))
                else:
                    i0 = s.i0
                    fam_parts.append("".join([prefix + vals[k - i0] + " " + tstr[k] + "\n" for k in idx[a:b]]))
                n += b - a
            if fam_parts:
                parts.append(header)
                parts.extend(fam_parts)
        if n:
            path = os.path.join(directory, "block-%d.om" % (blo // MS))
            with open(path, "w", encoding="ascii", newline="\n") as f:
                f.write("".join(parts))
                f.write("# EOF\n")
            files.append(path)
            total += n
    return files, total


def create_blocks(jobs, parallel=2):
    """jobs: [(openmetrics file, data dir)]; runs promtool for each, ``parallel`` at a time."""
    def run(job):
        om, data = job
        p = subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", om, data],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise RuntimeError("promtool failed on %s: %s" % (om, p.stdout[-2000:]))
    with concurrent.futures.ThreadPoolExecutor(parallel) as ex:
        list(ex.map(run, jobs))


class Prometheus:
    """One Prometheus 2.42 server on a TSDB directory, listening on 127.0.0.1 only; ``stop()`` always ends it."""

    def __init__(self, name, data_dir, lookback_s, workdir):
        self.name, self.data_dir, self.lookback_s, self.workdir = name, data_dir, lookback_s, workdir
        self.proc, self.port, self.log = None, None, os.path.join(workdir, "prometheus-%s.log" % name)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout_s=90):
        config = os.path.join(self.workdir, "prometheus.yml")
        if not os.path.exists(config):
            with open(config, "w", encoding="ascii") as f:
                f.write("# hubsim: no scraping, all data is backfilled\nglobal:\n  scrape_interval: 1m\n"
                        "scrape_configs: []\n")
        self.proc, self.port = localprom.start_prometheus(self.data_dir, "%ds" % self.lookback_s, config, self.log,
                                                          timeout_s=timeout_s)
        return self

    def stop(self):
        p, self.proc = self.proc, None
        localprom.stop(p, 20)


def remove(path):
    shutil.rmtree(path, ignore_errors=True)
