"""CPU and memory figures of processes from /proc (Linux)."""

import os
import threading

CLK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a live process, in seconds (None if it is gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK       # fields 14 and 15 of stat(5), counted after "(comm)"


def status_kb(pid, keys=("VmRSS", "VmHWM")):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in keys:
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def system_busy_seconds():
    """CPU seconds all cores spent busy since boot (everything but idle and iowait)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    total = sum(v[:8])                                     # user nice system idle iowait irq softirq steal
    return (total - v[3] - v[4]) / CLK


class MemoryPoller:
    """Polls VmRSS/VmHWM of a process every ``interval`` s until ``stop()``; keeps the maxima (kB)."""

    def __init__(self, pid, interval=0.1):
        self.pid, self.interval = pid, interval
        self.max_rss = self.max_hwm = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            s = status_kb(self.pid)
            if not s:
                break
            self.max_rss = max(self.max_rss, s.get("VmRSS", 0))
            self.max_hwm = max(self.max_hwm, s.get("VmHWM", 0))
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join()
