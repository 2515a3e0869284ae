#!/usr/bin/env python3
"""A chain of live migrations of ONE busybox TCG guest on this host, like kvmj's MigrationChainIT: the destination
of hop k is the source of hop k+1; --pre K pre-copy hops first, then --post M post-copy hops. Python 3 stdlib only
(raw QMP over unix sockets, see move.py).

Settings per hop:
  pre-copy   auto-converge on, max-bandwidth unlimited, downtime-limit 300 ms
  post-copy  kvmj's: max-bandwidth --bw MiB/s, downtime-limit --downtime ms, max-postcopy-bandwidth --postbw,
             migrate-start-postcopy once ram.dirty-sync-count >= 2 (after the first pass; --switch immediate: at once)
After "completed" the driver waits until the destination is "running", quits the source, then watches the
destination for --watch s.

What it measures: how many moves the guest survives. A hop FAILS (and the chain stops there) when: migration did
not reach "completed"; the destination QEMU exited; fewer than 0.4 x --watch TICK lines came during the watch; with
--console, an echo probe went unanswered; or the destination serial log has an Oops/BUG/panic/GPF/lockup line
(move.BAD; "clocksource" lines are ignored). A hop whose destination died mid-hop (QMP error) has no "result" and
is followed by an {"result": "error: ..."} entry; stats.py counts it as a failure.

Output in OUT: gN.serial.log (hop N's destination; g0 = the first source), gN.vport.log (--virtio), gN.stderr,
qmp.log, result.json (list of hops). Prints one JSON line per hop and a summary line.
"""
import argparse, json, os, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import move
from move import Qmp, wait_serial, ticks, BAD


def probe_console(out, name, watch):
    import socket
    s = socket.socket(socket.AF_UNIX)
    s.connect(os.path.join(out, name + '.console.sock'))
    s.settimeout(0.5)
    ok = fail = 0
    end = time.time() + watch
    n = 0
    while time.time() < end:
        n += 1
        s.sendall(('echo P%s-$((%d+1000))\n' % (name, n)).encode())
        want = 'P%s-%d' % (name, n + 1000)
        t = time.time()
        got = False
        while time.time() - t < 8:
            try:
                s.recv(65536)
            except socket.timeout:
                pass
            with open(os.path.join(out, name + '.serial.log'), errors='replace') as f:
                if want in f.read():
                    got = True
                    break
        ok += got
        fail += not got
        time.sleep(0.5)
    s.close()
    return [ok, fail]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('out', help='output directory (created)')
    p.add_argument('--pre', type=int, default=2, help='pre-copy hops first (default: %(default)s)')
    p.add_argument('--post', type=int, default=2, help='then post-copy hops (default: %(default)s)')
    p.add_argument('--smp', type=int, default=1, help='vCPUs (default: %(default)s)')
    p.add_argument('--mem', default='192', help='QEMU -m value: 192 (MiB) or 196616K = 192 MiB + 8 KiB '
                   '(default: %(default)s)')
    p.add_argument('--accel-thread', default='multi', choices=['multi', 'single'], help='-accel tcg,thread=')
    p.add_argument('--machine', default='q35', help='pc or q35 (default: %(default)s)')
    p.add_argument('--cpu', default='qemu64', help='-cpu, e.g. max or qemu64 (default: %(default)s)')
    p.add_argument('--bw', type=int, default=8, help='post-copy hops: max-bandwidth MiB/s (default: %(default)s)')
    p.add_argument('--postbw', type=int, default=0, help='max-postcopy-bandwidth MiB/s, 0 = unlimited (QEMU default)')
    p.add_argument('--downtime', type=int, default=10, help='post-copy hops: downtime-limit ms (default: %(default)s)')
    p.add_argument('--switch', default='first-pass', choices=['first-pass', 'immediate'],
                   help='when to send migrate-start-postcopy (default: %(default)s)')
    p.add_argument('--preempt', action='store_true', help='enable postcopy-preempt on post-copy hops')
    p.add_argument('--virtio', action='store_true', help='add virtio-serial-pci + a port the guest writes VTICKs to '
                   '(kvmj\'s guest-agent channel name)')
    p.add_argument('--watch', type=int, default=15, help='seconds to watch each destination (default: %(default)s)')
    p.add_argument('--append', default='', help='extra kernel command line')
    p.add_argument('--console', action='store_true', help='serial on a socket chardev; probe it with echo commands')
    p.add_argument('--guest-dir', default=move.DEFAULT_GUEST_DIR, help='directory with vmlinuz and initrd.img '
                   'from build-guest.sh (default: guest/ next to this script)')
    a = p.parse_args()
    a.guest = 'busybox'
    a.guest_dir = os.path.abspath(a.guest_dir)
    for f in ('vmlinuz', 'initrd.img'):
        if not os.path.exists(os.path.join(a.guest_dir, f)):
            p.error('%s missing: run build-guest.sh %s first' % (os.path.join(a.guest_dir, f), a.guest_dir))
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    log = open(os.path.join(out, 'qmp.log'), 'w')
    hops = ['precopy'] * a.pre + ['postcopy'] * a.post
    results = []
    procs = []
    try:
        cur = subprocess.Popen(move.guest_argv(a, 'g0', out), stdout=open(os.path.join(out, 'g0.stderr'), 'w'),
                               stderr=subprocess.STDOUT)
        procs.append(cur)
        cq = Qmp(os.path.join(out, 'g0.qmp'), log)
        if not wait_serial(os.path.join(out, 'g0.serial.log'), 'GUEST: ready', 300, cur):
            results.append({'hop': 0, 'result': 'boot-failed'})
            return out, results
        time.sleep(4)
        for i, mode in enumerate(hops, 1):
            name = 'g%d' % i
            res = {'hop': i, 'mode': mode, 'variant': {k: v for k, v in vars(a).items() if k != 'out'}}
            results.append(res)
            dst = subprocess.Popen(move.guest_argv(a, name, out) + ['-incoming', 'defer'],
                                   stdout=open(os.path.join(out, name + '.stderr'), 'w'), stderr=subprocess.STDOUT)
            procs.append(dst)
            dq = Qmp(os.path.join(out, name + '.qmp'), log)
            caps = [{'capability': 'events', 'state': True},
                    {'capability': 'postcopy-ram', 'state': mode == 'postcopy'}]
            if a.preempt and mode == 'postcopy':
                caps.append({'capability': 'postcopy-preempt', 'state': True})
            for q in (cq, dq):
                q.cmd('migrate-set-capabilities', capabilities=caps)
            if mode == 'precopy':  # converge quickly: unlimited, 300 ms, auto-converge
                cq.cmd('migrate-set-capabilities', capabilities=[{'capability': 'auto-converge', 'state': True}])
                cq.cmd('migrate-set-parameters', **{'max-bandwidth': 1 << 40, 'downtime-limit': 300})
            else:
                cq.cmd('migrate-set-capabilities', capabilities=[{'capability': 'auto-converge', 'state': False}])
                cq.cmd('migrate-set-parameters', **{'max-bandwidth': a.bw << 20, 'downtime-limit': a.downtime,
                                                     'max-postcopy-bandwidth': a.postbw << 20})
            sock = os.path.join(out, name + '.mig.sock')
            dq.cmd('migrate-incoming', uri='unix:' + sock)
            tm = time.time()
            cq.cmd('migrate', uri='unix:' + sock)
            switched = False
            while time.time() - tm < 900:
                st = cq.cmd('query-migrate')
                status = st.get('status')
                if status in ('completed', 'failed', 'cancelled'):
                    break
                if mode == 'postcopy' and not switched and status == 'active' and (
                        a.switch == 'immediate' or st.get('ram', {}).get('dirty-sync-count', 0) >= 2):
                    cq.cmd('migrate-start-postcopy')
                    switched = True
                    res['switch_after_s'] = round(time.time() - tm, 2)
                time.sleep(0.05)
            res['migrate_status'] = status
            res['migrate_s'] = round(time.time() - tm, 1)
            res['ram'] = {k: st.get('ram', {}).get(k) for k in ('postcopy-requests', 'dirty-sync-count', 'transferred')}
            if status != 'completed':
                res['result'] = 'migrate-' + str(status)
                return out, results
            # like kvmj: wait until the destination runs, then end the source
            for _ in range(300):
                if dq.cmd('query-status').get('status') == 'running':
                    break
                time.sleep(0.1)
            try:
                cq.cmd('quit')
            except Exception:
                pass
            cur.wait(30)
            cq.close()
            cur, cq = dst, dq
            dpath = os.path.join(out, name + '.serial.log')
            before = len(ticks(dpath))
            if a.console:
                res['probes'] = probe_console(out, name, a.watch)
            else:
                time.sleep(a.watch)
            after = len(ticks(dpath))
            with open(dpath, errors='replace') as f:
                bad = [l for l in f.read().splitlines() if any(b in l for b in BAD) and 'clocksource' not in l]
            res['ticks_in_watch'] = after - before
            res['alive'] = cur.poll() is None
            res['bad'] = bad[:5]
            res['result'] = 'ok' if res['alive'] and after - before >= a.watch * 0.4 and not bad and (
                not a.console or res['probes'][1] == 0) else 'FAIL'
            print(json.dumps(res), flush=True)
            if res['result'] != 'ok':
                return out, results
        return out, results
    except Exception as e:
        results.append({'result': 'error: %r' % e})
        return out, results
    finally:
        for pr in procs:
            if pr.poll() is None:
                pr.kill()
                pr.wait()
        log.close()


if __name__ == '__main__':
    out, r = main()
    with open(os.path.join(out, 'result.json'), 'w') as f:
        json.dump(r, f, indent=1)
    print(json.dumps({'out': out, 'hops': [(x.get('hop'), x.get('mode'), x.get('result')) for x in r]}),
          flush=True)
