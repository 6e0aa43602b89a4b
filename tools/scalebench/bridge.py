"""Building the bridge, naming its queries, and running ``once`` in embedded mode (no database, S3 or Kafka)."""

import hashlib
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import bridgebuild  # noqa: E402  (shared with tools/hubsim)
from bridgebuild import ensure_bridge, git as _git  # noqa: E402,F401



def catalog_names(dll, cache_dir, log=print):
    """[(name, set, normalized expression)] of the bridge's query catalog, read by reflection (catalog.fsx) from the
    ThanosBridge.Core.dll beside ``dll``; [] when that does not work (requests are then named by their text)."""
    core = os.path.join(os.path.dirname(os.path.abspath(dll)), "ThanosBridge.Core.dll")
    if not os.path.exists(core):
        return []
    with open(core, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    path = os.path.join(cache_dir, "catalog-%s.json" % digest)
    if os.path.exists(path):
        with open(path) as f:
            return [tuple(x) for x in json.load(f)]
    try:
        p = subprocess.run(["dotnet", "fsi", "--quiet", "--exec", os.path.join(HERE, "catalog.fsx"), core],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300,
                           env=dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1"))
    except (OSError, subprocess.TimeoutExpired) as e:
        log("query names unavailable (%r); requests are named by their text" % e)
        return []
    if p.returncode != 0:
        log("query names unavailable (dotnet fsi: %s); requests are named by their text" % p.stderr.strip()[-300:])
        return []
    out = []
    for line in p.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0]:
            continue
        name, qset, expr = parts[0], parts[1], parts[2]
        counter = parts[3] if len(parts) > 3 else ""
        out.append((name, qset, normalize(expr)))
        if counter:
            out.append((name, qset, normalize(counter)))
    with open(path, "w") as f:
        json.dump(out, f)
    return out


_CLUSTER = re.compile(r'\s*,?\s*\b%s\s*=\s*"(?:[^"\\]|\\.)*"\s*,?' % "clusterID")
_WINDOW = re.compile(r"\[\d+[smhd]\]")
_NARROWED = re.compile(r'\s*,?\s*\bnamespace\s*=~\s*"(?:[^"\\]|\\.)*"\s*,?')


def normalize(expr, label="clusterID"):
    """An expression without the injected cluster matcher, windows and whitespace, to compare with the catalog."""
    if label != "clusterID":
        pattern = re.compile(r'\s*,?\s*\b%s\s*=\s*"(?:[^"\\]|\\.)*"\s*,?' % re.escape(label))
    else:
        pattern = _CLUSTER
    e = pattern.sub(",", expr)
    e = _NARROWED.sub(",", e)      # the ROS queries' narrowing to the gate's namespaces (added, like the cluster matcher)
    e = re.sub(r"\s+", "", e)
    # pod!='' moved out of the selectors into "unless on(pod) vector(0)" filters (NonEmptyLabelFilter): compared without
    # either, and without parentheses, which the move adds
    e = e.replace("unlesson(pod)vector(0)", "").replace("pod!=''", "").replace("(", "").replace(")", "")
    e = re.sub(r",,+", ",", e)
    e = e.replace("{,", "{").replace(",}", "}").replace("{}", "")
    return _WINDOW.sub("[w]", e)


def cluster_of(expr, label="clusterID"):
    m = re.search(r'\b%s\s*=\s*"((?:[^"\\]|\\.)*)"' % re.escape(label), expr)
    return m.group(1) if m else ""


def effective_settings(dll, env):
    """The bridge's effective configuration (``check-config``: every variable with its value or default), so that
    defaults of the bridge being measured are known (e.g. THANOS_BRIDGE_MAX_PARALLEL_QUERIES); {} if it fails."""
    try:
        p = subprocess.run(["dotnet", dll, "check-config"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    out = {}
    for line in p.stdout.splitlines():
        k, sep, v = line.partition("=")
        if sep and k.replace("_", "").isalnum() and k.isupper():
            out[k] = v.split(" (", 1)[0].strip()
    return out


def run_once(dll, query_url, clusters, org, day, now, workdir, env_overrides, tag, on_start=None):
    """Runs ``once --day DAY --now NOW`` with ``clusters`` (embedded mode). Returns a dict: exit code, wall seconds,
    rusage (CPU seconds, max RSS) from wait4, the polled memory maxima, and the command's output."""
    import procstat
    env, data_dir, out_dir = bridgebuild.embedded_environment(query_url, clusters, org, workdir, tag)
    env.update({
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        "DOTNET_NOLOGO": "1",
    })
    env.update(env_overrides)
    settings = effective_settings(dll, env)
    cmd = ["dotnet", dll, "once", "--day", day, "--now", now]
    log_path = os.path.join(workdir, "bridge-%s.log" % tag)
    with open(log_path, "w") as log:
        log.write("$ %s\n# env: %s\n" % (" ".join(cmd), " ".join(
            "%s=%s" % (k, env[k]) for k in sorted(env) if k.startswith("THANOS_") and k != "THANOS_BRIDGE_CLUSTERS")))
        log.flush()
        if on_start:
            on_start()
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        poller = procstat.MemoryPoller(proc.pid)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        poller.stop()
    with open(log_path) as f:
        output = f.read()
    tars = []
    for d, _, fs in os.walk(out_dir):
        tars += [os.path.join(d, f) for f in fs if f.endswith(".tar.gz")]
    # started_at/ended_at: time.monotonic() (CLOCK_MONOTONIC, the same clock as the proxy's request times)
    return {"exit": proc.returncode, "wall_s": wall, "started_at": t0, "ended_at": t0 + wall, "cpu_s": ru.ru_utime + ru.ru_stime,
            "user_s": ru.ru_utime, "sys_s": ru.ru_stime, "maxrss_kb": ru.ru_maxrss,
            "polled_hwm_kb": poller.max_hwm, "polled_rss_kb": poller.max_rss, "log": log_path, "output": output,
            "payloads": len(tars), "payload_bytes": sum(os.path.getsize(t) for t in tars), "env": env,
            "settings": settings,
            "out_dir": out_dir, "data_dir": data_dir}
