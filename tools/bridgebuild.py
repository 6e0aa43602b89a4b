"""Builds the bridge once per source state and prepares its embedded mode, for the tools that run it (tools/hubsim,
tools/scalebench)."""

import hashlib
import io
import os
import subprocess
import tarfile
import shutil
import time


def git(repo, *args):
    p = subprocess.run(["git", "-C", repo] + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True)
    return p.stdout.strip() if p.returncode == 0 else ""


def tree_stamp(repo):
    h = hashlib.sha256()
    files = [os.path.join(repo, f) for f in ("Directory.Build.props", "Directory.Packages.props", "global.json",
                                            "nuget.config", "BannedSymbols.txt")]
    for d, dirs, names in os.walk(os.path.join(repo, "src")):
        dirs[:] = sorted(x for x in dirs if x not in ("bin", "obj"))
        files += [os.path.join(d, n) for n in sorted(names)]
    for f in files:
        if os.path.isfile(f):
            h.update(os.path.relpath(f, repo).encode())
            with open(f, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()[:16]


def ensure_bridge(repo, cache_dir, rev=None, log=print):
    """Builds src/ThanosBridge of the working tree, or of git revision ``rev`` (git archive), once into the cache.
    Returns (dll path, version note)."""
    os.makedirs(cache_dir, exist_ok=True)
    if rev:
        sha = git(repo, "rev-parse", "--verify", rev + "^{commit}")
        if not sha:
            raise RuntimeError("unknown git revision %r" % rev)
        stamp, src = "rev-" + sha[:12], os.path.join(cache_dir, "src-" + sha[:12])
        version = "%s (git revision %s)" % (git(repo, "describe", "--always", "--tags", sha), sha[:12])
    else:
        stamp, src = "tree-" + tree_stamp(repo), repo
        version = "%s (working tree, source stamp %s)" % (git(repo, "describe", "--always", "--tags", "--dirty"),
                                                          stamp[5:])
    out = os.path.join(cache_dir, "bridge-" + stamp)
    dll = os.path.join(out, "ThanosBridge.dll")
    if os.path.exists(os.path.join(out, ".complete")):
        return dll, version
    if rev and not os.path.isdir(os.path.join(src, "src")):
        shutil.rmtree(src, ignore_errors=True)
        os.makedirs(src)
        archive = subprocess.run(["git", "-C", repo, "archive", sha], check=True, stdout=subprocess.PIPE).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tf:
            tf.extractall(src)
        feed = os.path.join(repo, "build", "feed")
        if os.path.isdir(feed):            # the librdkafka.redist stand-in nuget.config maps (scripts/setup.sh)
            shutil.copytree(feed, os.path.join(src, "build", "feed"), dirs_exist_ok=True)
    log("building the bridge (%s) into %s ..." % (stamp, out))
    t0 = time.monotonic()
    # published as the image is (Dockerfile): for linux-x64, precompiled (ReadyToRun)
    p = subprocess.run(["dotnet", "publish", os.path.join(src, "src", "ThanosBridge"), "-c", "Release", "-r", "linux-x64",
                        "--self-contained", "false", "-o", out, "-nologo", "-v", "q"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1"))
    if p.returncode != 0:
        raise RuntimeError("dotnet publish failed (use --bridge-dll or --bridge-rev HEAD):\n" + p.stdout[-3000:])
    open(os.path.join(out, ".complete"), "w").close()
    log("built in %.0f s" % (time.monotonic() - t0))
    return dll, version


# environment a developer's shell may carry that would point the bridge at real services
STRIP = ("THANOS_", "DATABASE_", "KAFKA_", "INSIGHTS_KAFKA_", "S3_", "AWS_", "OTEL_", "RETAIN_NUM_MONTHS")


def embedded_environment(query_url, clusters, org, workdir, tag):
    """The environment of a ``once`` in embedded mode (no database, S3 or Kafka) with fresh ledger and output
    directories under ``workdir``; returns (environment, data dir, output dir)."""
    data_dir = os.path.join(workdir, "bridge-%s-data" % tag)
    out_dir = os.path.join(workdir, "bridge-%s-out" % tag)
    for d in (data_dir, out_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    env = {k: v for k, v in os.environ.items() if not k.startswith(STRIP)}
    env.update({
        "THANOS_QUERY_URL": query_url,
        "THANOS_BRIDGE_CLUSTERS": ",".join("%s=%s" % (c, org) for c in clusters),
        "THANOS_BRIDGE_DATA_DIR": data_dir,
        "THANOS_BRIDGE_OUTPUT_DIR": out_dir,
    })
    return env, data_dir, out_dir
