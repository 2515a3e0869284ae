#!/usr/bin/env python3
"""The raw-socket Python peer of the kvmj QMP benchmarks (io.kvmj.bench.peers.QmpPeers).

A plain socket client, as a script would write one: send a JSON line, read lines until the reply (events
skipped). Prints what the other peer drivers print (see QmpDriverMain for the protocol):

    qmp_raw.py SOCKET WARMUP_MS LATENCY_MS THROUGHPUT_MS K1,K2,...
    lat <ns> <ns> ...        one query-status round trip each, after WARMUP_MS of untimed calls
    thr <K> <commands> <ns>  K commands written back to back, then K replies read, for THROUGHPUT_MS
"""
import socket
import sys
import time

CMD = b'{"execute":"query-status"}\n'


class Qmp:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""
        self.line()  # greeting
        self.s.sendall(b'{"execute":"qmp_capabilities"}\n')
        if b'"return"' not in self.reply():
            raise SystemExit("qmp_raw: qmp_capabilities failed")

    def line(self):
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                ln, self.buf = self.buf[:i], self.buf[i + 1:]
                return ln
            chunk = self.s.recv(65536)
            if not chunk:
                raise SystemExit("qmp_raw: connection closed")
            self.buf += chunk

    def reply(self):
        while True:
            ln = self.line()
            if not ln.startswith(b'{"event"') and b'"event":' not in ln[:12]:
                return ln


def main():
    if len(sys.argv) != 6:
        print("usage: qmp_raw.py SOCKET WARMUP_MS LATENCY_MS THROUGHPUT_MS K1,K2,...", file=sys.stderr)
        sys.exit(2)
    q = Qmp(sys.argv[1])
    warm, lat_ms, thr_ms = (int(a) for a in sys.argv[2:5])
    now = time.perf_counter_ns
    end = now() + warm * 1_000_000
    while now() < end:
        q.s.sendall(CMD)
        q.reply()
    lat = []
    end = now() + lat_ms * 1_000_000
    while now() < end:
        t0 = now()
        q.s.sendall(CMD)
        q.reply()
        lat.append(now() - t0)
    out = ["lat " + " ".join(map(str, lat))]
    for k in (int(x) for x in sys.argv[5].split(",")):
        batch = CMD * k
        n = 0
        t0 = now()
        end = t0 + thr_ms * 1_000_000
        while now() < end:
            q.s.sendall(batch)
            for _ in range(k):
                q.reply()
            n += k
        out.append("thr %d %d %d" % (k, n, now() - t0))
    print("\n".join(out))


if __name__ == "__main__":
    main()
