"""The hub: generated TSDBs (cached under the cache directory) and the Prometheus that serves one of them."""

import concurrent.futures
import datetime as dt
import json
import os
import shutil
import subprocess
import time
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import localprom  # noqa: E402  (tools/localprom.py, shared with tools/hubsim)

import model


def day_start_ms(day):
    d = dt.datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    return int(d.timestamp()) * 1000


def tsdb_key(pods, clusters, seed, day):
    return "p%d-c%d-s%s-%s-v%d" % (pods, clusters, seed, day, model.VERSION)


def cached_hub_clusters(cache_dir, pods, at_least, seed, day):
    """The smallest cluster count >= ``at_least`` of a complete cached TSDB of ``pods`` pods (same seed, day and
    model version), or None. Cluster i is the same in all of them, so a bigger one serves a smaller run."""
    best = None
    root = os.path.join(cache_dir, "tsdb")
    if not os.path.isdir(root):
        return None
    for name in os.listdir(root):
        prefix, suffix = "p%d-c" % pods, "-s%s-%s-v%d" % (seed, day, model.VERSION)
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        try:
            n = int(name[len(prefix):-len(suffix)])
        except ValueError:
            continue
        if n >= at_least and os.path.exists(os.path.join(root, name, "meta.json")) and (best is None or n < best):
            best = n
    return best


def ensure_tsdb(cache_dir, pods, clusters, seed, day, log, promtool_parallel=2):
    """The TSDB of ``clusters`` clusters of ``pods`` pods (cluster i is the same in every TSDB of the same pods and
    seed). Generated once: OpenMetrics per 2-hour block, ``promtool tsdb create-blocks-from openmetrics`` per file,
    then the OpenMetrics files are deleted. Returns (tsdb dir, meta dict)."""
    key = tsdb_key(pods, clusters, seed, day)
    root = os.path.join(cache_dir, "tsdb", key)
    meta_path = os.path.join(root, "meta.json")
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        log("hub %s: cached (%s series, %.1f M samples)" % (key, meta["series"], meta["samples"] / 1e6))
        return os.path.join(root, "tsdb"), meta
    shutil.rmtree(root, ignore_errors=True)
    om_dir, tsdb_dir = os.path.join(root, "om"), os.path.join(root, "tsdb")
    os.makedirs(om_dir)
    os.makedirs(tsdb_dir)
    start = day_start_ms(day)
    blocks = model.block_starts(start)
    paths = [os.path.join(om_dir, "block-%d.om" % (b // 1000)) for b in blocks]
    log("hub %s: generating %d cluster(s) of %d pods ..." % (key, clusters, pods))
    t0 = time.monotonic()
    out = model.BlockFiles(paths)
    summaries = []
    try:
        for i in range(clusters):
            summaries.append(model.build_and_write(seed, pods, i, start, out))
    finally:
        out.close()
    t_gen = time.monotonic() - t0
    om_bytes = sum(os.path.getsize(p) for p in paths)
    log("hub %s: %.1f M samples, %.1f GB OpenMetrics in %.0f s; promtool ..." % (
        key, out.samples / 1e6, om_bytes / 1e9, t_gen))

    def run(path):
        p = subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics", "-q", path, tsdb_dir],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise RuntimeError("promtool failed on %s: %s" % (path, p.stdout[-2000:]))
        os.remove(path)

    t1 = time.monotonic()
    # the largest files first, so the two workers finish together
    with concurrent.futures.ThreadPoolExecutor(promtool_parallel) as ex:
        list(ex.map(run, sorted(paths, key=os.path.getsize, reverse=True)))
    t_promtool = time.monotonic() - t1
    shutil.rmtree(om_dir, ignore_errors=True)
    tsdb_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tsdb_dir) for f in fs)
    meta = {"key": key, "pods": pods, "clusters": clusters, "seed": seed, "day": day, "model_version": model.VERSION,
            "series": sum(s["series"] for s in summaries), "samples": out.samples, "openmetrics_bytes": om_bytes,
            "tsdb_bytes": tsdb_bytes, "generate_s": round(t_gen, 1), "promtool_s": round(t_promtool, 1),
            "cluster_summaries": summaries}
    with open(meta_path + ".tmp", "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(meta_path + ".tmp", meta_path)
    log("hub %s: TSDB %.0f MB; promtool %.0f s" % (key, tsdb_bytes / 1e6, t_promtool))
    return tsdb_dir, meta


class Prometheus:
    """Prometheus 2.42 on a hard-linked copy of a cached TSDB, 127.0.0.1 only, lookback 5m, no compaction (2-h
    blocks stay as promtool wrote them, so no background work disturbs the measurements)."""

    def __init__(self, tsdb_dir, workdir, lookback="5m", fresh=True):
        self.workdir = workdir
        self.data = os.path.join(workdir, "tsdb")
        self.lookback = lookback
        self.proc = self.port = None
        self.log_path = os.path.join(workdir, "prometheus.log")
        if fresh or not os.path.isdir(self.data):
            shutil.rmtree(self.data, ignore_errors=True)
            os.makedirs(workdir, exist_ok=True)
            subprocess.run(["cp", "-al", tsdb_dir, self.data], check=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def pid(self):
        return self.proc.pid

    def start(self, timeout_s=180):
        config = os.path.join(self.workdir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("# scalebench: no scraping, all data is backfilled\nglobal:\n  scrape_interval: 1m\n"
                    "scrape_configs: []\n")
        self.proc, self.port = localprom.start_prometheus(
            self.data, self.lookback, config, self.log_path,
            ("--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"), timeout_s)
        return self

    def warm(self):
        """Reads every file of the TSDB once, so the first run does not pay for cold disk reads."""
        n = 0
        for d, _, fs in os.walk(self.data):
            for f in fs:
                try:
                    with open(os.path.join(d, f), "rb") as fh:
                        while True:
                            b = fh.read(8 * 1024 * 1024)
                            if not b:
                                break
                            n += len(b)
                except OSError:
                    pass
        return n

    def stop(self):
        p, self.proc = self.proc, None
        localprom.stop(p)
