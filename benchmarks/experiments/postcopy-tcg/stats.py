#!/usr/bin/env python3
"""Counts of chain.py results: per variant, post-copy/pre-copy moves tried and moves after which the guest was
alive (a hop's "result" == "ok", see chain.py for what fails), followed by the failed hops as RUN/hopN.

Reads every result.json under the directories given (default: runs/ next to this script), so it also counts hops
whose destination died before the hop line was printed (no "result" in the hop; its gN.serial.log tells whether
there was a panic text).
"""
import argparse, collections, json, os

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('dirs', nargs='*', default=[os.path.join(HERE, 'runs')],
                   help='directories searched recursively for result.json (default: runs/ next to this script)')
    a = p.parse_args()
    c = collections.defaultdict(lambda: [0, 0, []])
    for root in a.dirs:
        root = os.path.abspath(root)
        files = sorted(os.path.join(d, 'result.json') for d, _, fs in os.walk(root) if 'result.json' in fs)
        for fn in files:
            try:
                with open(fn) as f:
                    r = json.load(f)
            except Exception:
                continue
            if not isinstance(r, list):  # move.py results are dicts
                continue
            d = os.path.dirname(fn)
            for h in r:
                if 'hop' not in h or 'mode' not in h:
                    continue
                v = h['variant']
                res = h.get('result')
                if res is None:  # died mid-hop: look at its serial log
                    with open(os.path.join(d, 'g%d.serial.log' % h['hop']), errors='replace') as f:
                        log = f.read()
                    res = 'FAIL(dest died: %s)' % ('panic' if 'Kernel panic' in log else 'no panic text')
                key = '%-8s smp=%s cpu=%-6s mem=%-8s bw=%-2s thread=%-6s preempt=%-5s console=%-5s' % (
                    h['mode'], v['smp'], v['cpu'], v['mem'], v['bw'], v['accel_thread'], v['preempt'],
                    v.get('console', False))
                c[key][0] += 1
                c[key][1] += res == 'ok'
                if res != 'ok':
                    rel = os.path.relpath(d, os.path.dirname(root))
                    c[key][2].append('%s/hop%d' % (rel, h['hop']))
    for k, (n, ok, f) in sorted(c.items()):
        print('%3d/%3d alive  %s %s' % (ok, n, k, ' '.join(f)))


if __name__ == '__main__':
    main()
