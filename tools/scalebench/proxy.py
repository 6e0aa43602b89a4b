#!/usr/bin/env python3
"""A small logging HTTP proxy between the bridge and Prometheus (127.0.0.1 only, threaded, HTTP/1.1 keep-alive).

    proxy.py --upstream http://127.0.0.1:PORT --log requests.jsonl

Prints ``PORT <n>`` on stdout once it listens, then relays every request to the upstream unchanged (headers
included, so the bridge's ``Accept-Encoding: gzip`` reaches Prometheus) and streams the answer back as it arrives.
Each request is logged as one JSON line when it ends: start and end (monotonic seconds), time to the upstream's
response headers (``ttfb``: Prometheus evaluates the whole query before it answers, so this is its evaluation time),
method, path, form body, the request headers that matter for a replay, status, bytes on the wire and, for gzip
answers, the decompressed (JSON) bytes. Ends on SIGTERM/SIGINT after flushing the log.
"""

import argparse
import http.client
import http.server
import json
import signal
import socket
import sys
import threading
import time
import urllib.parse
import zlib

HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
       "content-length", "host"}
KEEP_REQUEST_HEADERS = ("accept", "accept-encoding", "content-type", "authorization")


class Log:
    def __init__(self, path):
        self.f = open(path, "w", encoding="utf-8")
        self.lock = threading.Lock()

    def write(self, rec):
        line = json.dumps(rec, separators=(",", ":")) + "\n"
        with self.lock:
            self.f.write(line)

    def close(self):
        with self.lock:
            self.f.flush()
            self.f.close()


def make_handler(upstream, log):
    up = urllib.parse.urlsplit(upstream)
    host, port = up.hostname, up.port or 80
    counter = [0]
    counter_lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        upstream_conn = None

        def log_message(self, fmt, *args):          # no per-request stderr noise
            pass

        def setup(self):
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with counter_lock:
                counter[0] += 1
                self.conn_id = counter[0]

        def finish(self):
            super().finish()
            if self.upstream_conn is not None:
                self.upstream_conn.close()

        def do_GET(self):
            self._relay()

        def do_POST(self):
            self._relay()

        def _relay(self):
            t0 = time.monotonic()
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            rec = {"conn": self.conn_id, "t0": t0, "method": self.command, "path": self.path,
                   "body": body.decode("utf-8", "replace"),
                   "headers": {k: v for k, v in headers.items() if k.lower() in KEEP_REQUEST_HEADERS}}
            resp = None
            for attempt in (1, 2):                  # a kept-alive upstream connection may have been closed
                try:
                    if self.upstream_conn is None:
                        self.upstream_conn = http.client.HTTPConnection(host, port, timeout=900)
                    self.upstream_conn.request(self.command, self.path, body=body or None, headers=headers)
                    resp = self.upstream_conn.getresponse()
                    break
                except (OSError, http.client.HTTPException) as e:
                    if self.upstream_conn is not None:
                        self.upstream_conn.close()
                    self.upstream_conn = None
                    if attempt == 2:
                        rec.update(status=502, error=repr(e), ttfb=time.monotonic() - t0, t1=time.monotonic(),
                                   bytes=0, json_bytes=0)
                        log.write(rec)
                        self.send_error(502, "upstream: %r" % e)
                        return
            rec["ttfb"] = time.monotonic() - t0
            rec["status"] = resp.status
            length = resp.getheader("Content-Length")
            enc = (resp.getheader("Content-Encoding") or "").lower()
            rec["enc"] = enc
            self.send_response_only(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() not in HOP:
                    self.send_header(k, v)
            chunked = length is None
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", length)
            self.end_headers()
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if enc == "gzip" else None
            wire = plain = 0
            try:
                while True:
                    chunk = resp.read1(256 * 1024) if hasattr(resp, "read1") else resp.read(256 * 1024)
                    if not chunk:
                        break
                    wire += len(chunk)
                    if inflate is not None:
                        plain += len(inflate.decompress(chunk))
                    if chunked:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    else:
                        self.wfile.write(chunk)
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except OSError as e:                    # the client went away (timeout, cancellation)
                rec["error"] = "client: %r" % e
                self.close_connection = True
                if self.upstream_conn is not None:
                    self.upstream_conn.close()
                    self.upstream_conn = None
            if resp.getheader("Connection", "").lower() == "close" and self.upstream_conn is not None:
                self.upstream_conn.close()
                self.upstream_conn = None
            rec["t1"] = time.monotonic()
            rec["bytes"] = wire
            rec["json_bytes"] = plain if inflate is not None else wire
            log.write(rec)

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--log", required=True)
    a = ap.parse_args()
    log = Log(a.log)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(a.upstream, log))
    server.daemon_threads = True
    server.request_queue_size = 128

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        log.close()


if __name__ == "__main__":
    sys.exit(main())
