"""Replays recorded requests against Prometheus directly: "the same queries issued alone at the same concurrency"."""

import http.client
import queue
import threading
import time
import urllib.parse


def replay(url, records, concurrency):
    """Issues ``records`` (proxy log entries, in the bridge's start order) with a pool of ``concurrency`` workers,
    each on its own keep-alive connection, reading every answer to its end (not decompressing it, not parsing it).
    Returns (wall seconds, [per-request dicts: index, seconds, ttfb, bytes, status])."""
    up = urllib.parse.urlsplit(url)
    work = queue.Queue()
    for i, r in enumerate(records):
        work.put((i, r))
    results = [None] * len(records)

    def worker():
        conn = None
        while True:
            try:
                i, r = work.get_nowait()
            except queue.Empty:
                break
            body = r["body"].encode("utf-8") if r.get("body") else None
            for attempt in (1, 2):
                t0 = time.monotonic()
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=900)
                    conn.request(r["method"], r["path"], body=body, headers=r.get("headers") or {})
                    resp = conn.getresponse()
                    ttfb = time.monotonic() - t0
                    n = 0
                    while True:
                        chunk = resp.read1(256 * 1024)
                        if not chunk:
                            break
                        n += len(chunk)
                    # read1 stops at Content-Length without marking the answer complete, and the next request on the
                    # connection would then fail (and be sent twice); read() finishes it.
                    n += len(resp.read())
                    results[i] = {"index": i, "seconds": time.monotonic() - t0, "ttfb": ttfb, "bytes": n,
                                  "status": resp.status}
                    # An HTTP/1.0 answer, or "Connection: close", ends the connection: reconnect for the next request
                    # rather than fail on the closed socket and send that request a second time.
                    if resp.will_close or resp.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = None
                    break
                except (OSError, http.client.HTTPException) as e:
                    if conn is not None:
                        conn.close()
                    conn = None
                    if attempt == 2:
                        results[i] = {"index": i, "seconds": time.monotonic() - t0, "ttfb": None, "bytes": 0,
                                      "status": 0, "error": repr(e)}
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, concurrency))]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0, results
