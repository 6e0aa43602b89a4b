"""Starting and stopping the local servers the tools run (tools/hubsim, tools/scalebench): 127.0.0.1 only."""

import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prometheus(data_dir, lookback, config, log_path, extra_flags=(), timeout_s=90):
    """A Prometheus on ``data_dir`` that answers /-/ready; returns (process, port). A port taken between choosing and
    binding is retried on another one."""
    last = None
    for _ in range(3):
        port = free_port()
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(
                ["prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data_dir,
                 "--storage.tsdb.retention.time=100y", *extra_flags, "--query.lookback-delta=" + lookback,
                 "--web.listen-address=127.0.0.1:%d" % port, "--log.level=warn"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last = "exited with %s" % proc.returncode
                break
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/-/ready" % port, timeout=2) as resp:
                    if resp.status == 200:
                        return proc, port
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            try:                                # poll interval (also notices an early exit)
                proc.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                pass
        else:
            last = "not ready after %d s" % timeout_s
        stop(proc)
    raise RuntimeError("prometheus did not start (%s); see %s" % (last, log_path))


def stop(proc, timeout_s=30):
    """Ends a server: SIGTERM, then SIGKILL after ``timeout_s``."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
