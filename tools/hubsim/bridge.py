"""Building and running the bridge (``once`` in embedded mode: no database, S3 or Kafka) and reading its payloads."""

import csv
import glob
import io
import os
import subprocess
import tarfile
import time

import bridgebuild  # tools/bridgebuild.py (hubsim.py puts tools/ on the path)

POD_COLUMNS = ["pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds", "pod_limit_cpu_core_seconds",
               "pod_usage_memory_byte_seconds", "pod_request_memory_byte_seconds", "pod_limit_memory_byte_seconds"]
NODE_COLUMNS = ["node_capacity_cpu_core_seconds", "node_capacity_memory_byte_seconds"]
STORAGE_COLUMNS = ["persistentvolumeclaim_capacity_byte_seconds", "volume_request_storage_byte_seconds",
                   "persistentvolumeclaim_usage_byte_seconds"]



def run_once(dll, query_url, clusters, org, day, now, workdir, env_overrides, tag):
    """Runs ``once --day DAY --now NOW`` for ``clusters`` against ``query_url``; returns
    ({cluster id: {"pod": [rows], "storage": [rows]}}, seconds, log path)."""
    env, data_dir, out_dir = bridgebuild.embedded_environment(query_url, clusters, org, workdir, tag)
    env.update({
        "THANOS_BRIDGE_ROS_ENABLED": "false",
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        "DOTNET_NOLOGO": "1",
    })
    env.update(env_overrides)
    cmd = ["dotnet", dll, "once", "--day", day, "--now", now]
    if len(clusters) == 1:
        cmd += ["--cluster", clusters[0]]
    log_path = os.path.join(workdir, "bridge-%s.log" % tag)
    t0 = time.monotonic()
    with open(log_path, "w") as log:
        log.write("$ %s\n# env: %s\n" % (" ".join(cmd), " ".join(
            "%s=%s" % (k, env[k]) for k in sorted(env) if k.startswith("THANOS_"))))
        log.flush()
        p = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - t0
    if p.returncode != 0:
        with open(log_path) as f:
            raise RuntimeError("bridge run %s failed (exit %d):\n%s" % (tag, p.returncode, f.read()[-3000:]))
    result = {}
    for c in clusters:
        tars = sorted(glob.glob(os.path.join(out_dir, "**", c, day, "*.tar.gz"), recursive=True))
        if not tars:
            raise RuntimeError("bridge run %s wrote no payload for %s under %s (log: %s)" % (tag, c, out_dir, log_path))
        result[c] = read_payload(tars[-1])
    return result, seconds, log_path


def read_payload(path):
    """{"pod": [row dicts], "storage": [row dicts], "hours": n} from a payload tar.gz (all parts of each report)."""
    out = {"pod": [], "storage": []}
    with tarfile.open(path, "r:gz") as tf:
        for m in tf.getmembers():
            if not m.name.endswith(".csv"):
                continue
            text = tf.extractfile(m).read().decode("utf-8")
            header = text.split("\n", 1)[0].split(",")
            if "pod_usage_cpu_core_seconds" in header:
                kind = "pod"
            elif "persistentvolumeclaim_capacity_byte_seconds" in header:
                kind = "storage"
            else:
                continue
            out[kind].extend(csv.DictReader(io.StringIO(text)))
    return out
