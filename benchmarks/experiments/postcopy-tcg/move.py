#!/usr/bin/env python3
"""One live migration of a freshly booted TCG guest between two QEMUs on this host (raw QMP over unix sockets,
Python 3 stdlib only). Also the library of chain.py (Qmp, guest_argv, wait_serial, ticks, BAD).

What it measures: whether the guest is still healthy on the destination after one pre-copy or post-copy move.
Steps: boot the source and wait for "GUEST: ready" (busybox) or "login:" (Debian); let the workload run --settle s;
start the destination with -incoming defer; set the capabilities (events, postcopy-ram, optionally postcopy-preempt)
and bandwidth; migrate; for post-copy send migrate-start-postcopy once ram.dirty-sync-count >= 2 (after the first
pass, kvmj's rule) or at once (--switch immediate); wait for "completed"; quit the source; watch the destination for
--watch s.

A move FAILS when any of these holds: migration did not reach "completed"; the destination QEMU exited; fewer than
--watch/2 TICK lines came during the watch (busybox); with --virtio, fewer than --watch VTICK lines in total on the
virtio-serial port; the Debian guest agent missed a ping/exec; or the destination serial log has an
Oops/BUG/panic/GPF/lockup line (see BAD; "clocksource" lines are ignored, every loaded TCG guest prints them).

Guests: busybox = GUEST_DIR/vmlinuz + GUEST_DIR/initrd.img from build-guest.sh (default guest/ next to this
script); debian = a qcow2 image given with --debian-image (a per-move overlay is created), workload and liveness via
the guest agent.

Writes to OUT: src/dst.serial.log, *.stderr, qmp.log (QMP transcript), argv.txt, result.json; prints the result as one
JSON line.
"""
import argparse, json, os, socket, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GUEST_DIR = os.path.join(HERE, 'guest')


class Qmp:
    def __init__(self, path, log):
        self.log = log
        deadline = time.time() + 30
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.f = self.s.makefile('rwb', buffering=0)
        self.events = []
        self._read()  # greeting
        self.cmd('qmp_capabilities')

    def _read(self):
        line = self.f.readline()
        if not line:
            raise EOFError('QMP closed')
        m = json.loads(line)
        self.log.write('<- ' + line.decode().rstrip() + '\n')
        return m

    def cmd(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        data = json.dumps(msg)
        self.log.write('-> ' + data + '\n')
        self.log.flush()
        self.f.write(data.encode() + b'\n')
        while True:
            m = self._read()
            if 'event' in m:
                self.events.append(m)
                continue
            if 'error' in m:
                raise RuntimeError('%s: %s' % (name, m['error']))
            return m.get('return')

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def guest_argv(a, name, out):
    argv = ['qemu-system-x86_64', '-name', name, '-nodefaults', '-display', 'none', '-no-user-config',
            '-machine', a.machine, '-accel', 'tcg,thread=%s' % a.accel_thread, '-cpu', a.cpu,
            '-m', str(a.mem), '-smp', str(a.smp), '-no-reboot',
            '-qmp', 'unix:%s/%s.qmp,server=on,wait=off' % (out, name),
            ] + (['-chardev', 'socket,id=s0,path=%s/%s.console.sock,server=on,wait=off,logfile=%s/%s.serial.log' % (
                out, name, out, name), '-serial', 'chardev:s0'] if getattr(a, 'console', False)
                else ['-serial', 'file:%s/%s.serial.log' % (out, name)])
    if a.guest == 'busybox':
        if a.virtio:
            argv += ['-device', 'virtio-serial-pci,id=vser0',
                     '-chardev', 'file,id=vp0,path=%s/%s.vport.log' % (out, name),
                     '-device', 'virtserialport,bus=vser0.0,chardev=vp0,name=org.qemu.guest_agent.0']
        if a.machine == 'q35':
            argv += ['-device', 'pcie-root-port,id=hotplug0,bus=pcie.0,chassis=1',
                     '-device', 'pcie-root-port,id=hotplug1,bus=pcie.0,chassis=2']
        gdir = os.path.abspath(getattr(a, 'guest_dir', None) or DEFAULT_GUEST_DIR)
        argv += ['-kernel', os.path.join(gdir, 'vmlinuz'), '-initrd', os.path.join(gdir, 'initrd.img'),
                 '-append', 'console=ttyS0 panic=-1 loglevel=7 rdinit=/init '
                 + ('pctcg.console=1 ' if getattr(a, 'console', False) else '') + a.append]
    else:
        argv += ['-drive', 'file=%s,if=virtio,format=qcow2' % a.overlay,
                 '-chardev', 'socket,id=qga,path=%s/%s.qga,server=on,wait=off' % (out, name),
                 '-device', 'virtio-serial', '-device', 'virtserialport,chardev=qga,name=org.qemu.guest_agent.0']
    return argv


def wait_serial(path, needle, timeout, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path, errors='replace') as f:
                if needle in f.read():
                    return True
        except FileNotFoundError:
            pass
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.5)
    return False


def ticks(path):
    try:
        with open(path, errors='replace') as f:
            return [l for l in f.read().splitlines() if l.startswith('TICK ')]
    except FileNotFoundError:
        return []


BAD = ('Kernel panic', 'Oops', 'BUG:', 'general protection', 'invalid opcode', 'segfault', 'Call Trace',
       'soft lockup', 'hard LOCKUP', 'hung_task', 'blocked for more than', 'rcu_sched', 'rcu: INFO', 'traps:', 'Unable to handle', 'double fault')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('out', help='output directory (created)')
    p.add_argument('--mode', default='postcopy', choices=['postcopy', 'precopy'], help='default: %(default)s')
    p.add_argument('--switch', default='first-pass', choices=['first-pass', 'immediate'],
                   help='post-copy: migrate-start-postcopy after the first pass (dirty-sync-count >= 2) or at once')
    p.add_argument('--smp', type=int, default=1, help='vCPUs (default: %(default)s)')
    p.add_argument('--mem', default='512', help='QEMU -m value, e.g. 192 or 196616K (default: %(default)s)')
    p.add_argument('--accel-thread', default='multi', choices=['multi', 'single'], help='-accel tcg,thread=')
    p.add_argument('--machine', default='pc', help='pc or q35 (default: %(default)s)')
    p.add_argument('--cpu', default='max', help='-cpu, e.g. max or qemu64 (default: %(default)s)')
    p.add_argument('--bw', type=int, default=32, help='max-bandwidth (and max-postcopy-bandwidth) in MiB/s, '
                   '0 = unlimited (default: %(default)s)')
    p.add_argument('--preempt', action='store_true', help='enable postcopy-preempt')
    p.add_argument('--virtio', action='store_true', help='busybox: virtio-serial-pci port written by the guest')
    p.add_argument('--guest', default='busybox', choices=['busybox', 'debian'])
    p.add_argument('--guest-dir', default=DEFAULT_GUEST_DIR, help='busybox: directory with vmlinuz and initrd.img '
                   '(default: guest/ next to this script)')
    p.add_argument('--debian-image', help='debian: base qcow2 image (needs qemu-guest-agent in the guest)')
    p.add_argument('--overlay', help='debian: use this overlay instead of creating OUT/ov.qcow2')
    p.add_argument('--append', default='', help='extra kernel command line (busybox)')
    p.add_argument('--watch', type=int, default=30, help='seconds to watch the destination (default: %(default)s)')
    p.add_argument('--settle', type=int, default=8, help='seconds of workload before migrating')
    a = p.parse_args()
    if a.guest == 'debian' and not (a.overlay or a.debian_image):
        p.error('--guest debian needs --debian-image or --overlay')
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    log = open(os.path.join(out, 'qmp.log'), 'w')
    res = {'out': out, 'variant': {k: v for k, v in vars(a).items() if k not in ('out',)}}
    procs = []
    t0 = time.time()
    if a.guest == 'debian' and not a.overlay:
        a.overlay = os.path.join(out, 'ov.qcow2')
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', os.path.abspath(a.debian_image), '-F', 'qcow2',
                        a.overlay], check=True)
    try:
        src = subprocess.Popen(guest_argv(a, 'src', out), stdout=open(os.path.join(out, 'src.stderr'), 'w'),
                               stderr=subprocess.STDOUT)
        procs.append(src)
        res['src_pid'] = src.pid
        sq = Qmp(os.path.join(out, 'src.qmp'), log)
        ready = 'GUEST: ready' if a.guest == 'busybox' else 'login:'
        if not wait_serial(os.path.join(out, 'src.serial.log'), ready, 400, src):
            res['result'] = 'src-not-ready'
            return res
        if a.guest == 'debian':
            start_debian_workload(out, log)
        time.sleep(a.settle)
        dargv = guest_argv(a, 'dst', out) + ['-incoming', 'defer']
        dst = subprocess.Popen(dargv, stdout=open(os.path.join(out, 'dst.stderr'), 'w'), stderr=subprocess.STDOUT)
        procs.append(dst)
        res['dst_pid'] = dst.pid
        with open(os.path.join(out, 'argv.txt'), 'w') as f:
            f.write(' '.join(dargv) + '\n')
        dq = Qmp(os.path.join(out, 'dst.qmp'), log)
        caps = [{'capability': 'events', 'state': True}]
        if a.mode == 'postcopy':
            caps.append({'capability': 'postcopy-ram', 'state': True})
            if a.preempt:
                caps.append({'capability': 'postcopy-preempt', 'state': True})
        for q in (sq, dq):
            q.cmd('migrate-set-capabilities', capabilities=caps)
        bw = a.bw * 1024 * 1024 if a.bw > 0 else 1 << 40
        sq.cmd('migrate-set-parameters', **{'max-bandwidth': bw})
        if a.mode == 'postcopy':
            sq.cmd('migrate-set-parameters', **{'max-postcopy-bandwidth': bw})
        else:
            sq.cmd('migrate-set-parameters', **{'downtime-limit': 300})
        sock = os.path.join(out, 'mig.sock')
        dq.cmd('migrate-incoming', uri='unix:' + sock)
        pre_ticks = len(ticks(os.path.join(out, 'src.serial.log')))
        tm = time.time()
        sq.cmd('migrate', uri='unix:' + sock)
        switched = False
        status = None
        deadline = time.time() + 600
        while time.time() < deadline:
            st = sq.cmd('query-migrate')
            status = st.get('status')
            if status in ('completed', 'failed', 'cancelled'):
                break
            sync = st.get('ram', {}).get('dirty-sync-count', 0)
            if a.mode == 'postcopy' and not switched and status == 'active' and (
                    a.switch == 'immediate' or sync >= 2):
                sq.cmd('migrate-start-postcopy')
                switched = True
                res['switch_at_sync'] = sync
                res['switch_after_s'] = round(time.time() - tm, 2)
            time.sleep(0.05 if not switched else 0.2)
        res['migrate_status'] = status
        res['migrate_s'] = round(time.time() - tm, 1)
        res['src_query'] = {k: st.get(k) for k in ('total-time', 'downtime', 'setup-time')}
        res['src_ram'] = st.get('ram')
        if status != 'completed':
            res['result'] = 'migrate-' + str(status)
            return res
        # destination status (post-copy: completes after source)
        dst_status = None
        for _ in range(300):
            try:
                dst_status = dq.cmd('query-migrate').get('status')
            except Exception as e:
                dst_status = 'qmp-error: %s' % e
                break
            if dst_status in ('completed', 'failed', None):
                break
            time.sleep(0.2)
        res['dst_migrate_status'] = dst_status
        try:
            sq.cmd('quit')
        except Exception:
            pass
        src.wait(20)
        tq = time.time()
        dpath = os.path.join(out, 'dst.serial.log')
        responsive = None
        if a.guest == 'debian':
            responsive = debian_liveness(out, log, a.watch, dst)
        else:
            time.sleep(a.watch)
        n = ticks(dpath)
        if a.virtio:
            try:
                with open(os.path.join(out, 'dst.vport.log'), errors='replace') as f:
                    res['dst_vticks'] = f.read().count('VTICK')
            except FileNotFoundError:
                res['dst_vticks'] = 0
        res['dst_ticks_in_watch'] = len(n)
        res['dst_alive'] = dst.poll() is None
        try:
            res['dst_runstate'] = dq.cmd('query-status').get('status')
        except Exception as e:
            res['dst_runstate'] = 'qmp-error: %s' % e
        with open(dpath, errors='replace') as f:
            text = f.read()
        bad = [l for l in text.splitlines() if any(b in l for b in BAD) and 'clocksource' not in l]
        res['dst_bad_lines'] = bad[:5]
        if a.guest == 'busybox':
            ok = res['dst_alive'] and len(n) >= a.watch * 0.5 and not bad and (not a.virtio or res['dst_vticks'] >= a.watch)
        else:
            ok = res['dst_alive'] and responsive and not bad
            res['agent_responsive'] = responsive
        res['result'] = 'ok' if ok else 'FAIL'
        return res
    except Exception as e:
        res['result'] = 'error: %r' % e
        return res
    finally:
        for pr in procs:
            if pr.poll() is None:
                pr.kill()
                pr.wait()
        res['elapsed_s'] = round(time.time() - t0, 1)
        log.close()


class Qga:
    def __init__(self, path, timeout=5):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.buf = b''
        # sync: flush stale output
        import random
        sid = random.randint(1, 1 << 30)
        self.s.sendall(b'\xff' + json.dumps({'execute': 'guest-sync-delimited', 'arguments': {'id': sid}}).encode())
        while True:
            m = self.read()
            if m.get('return') == sid:
                break

    def read(self):
        while b'\n' not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError
            self.buf += d
        line, self.buf = self.buf.split(b'\n', 1)
        line = line.replace(b'\xff', b'').strip()
        if not line:
            return self.read()
        return json.loads(line)

    def cmd(self, name, **args):
        m = {'execute': name}
        if args:
            m['arguments'] = args
        self.s.sendall(json.dumps(m).encode() + b'\n')
        r = self.read()
        if 'error' in r:
            raise RuntimeError(r['error'])
        return r.get('return')

    def close(self):
        self.s.close()


WORKLOAD = ('mkdir -p /dev/shm/w; i=0; while :; do dd if=/dev/urandom of=/dev/shm/w/d bs=1M count=96 2>/dev/null; '
            'md5sum /dev/shm/w/d >/dev/null; i=$((i+1)); echo $i > /dev/shm/w/n; done')


def start_debian_workload(out, log):
    deadline = time.time() + 120
    while True:
        try:
            g = Qga(os.path.join(out, 'src.qga'))
            break
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(1)
    r = g.cmd('guest-exec', path='/bin/sh', arg=['-c', 'setsid sh -c "%s" >/dev/null 2>&1 &' % WORKLOAD])
    log.write('workload: %s\n' % r)
    g.close()


def debian_liveness(out, log, watch, dst):
    """Agent ping + a guest-exec every 2 s for `watch` s; all must answer."""
    end = time.time() + watch
    ok = 0
    fails = 0
    while time.time() < end:
        try:
            g = Qga(os.path.join(out, 'dst.qga'), timeout=10)
            g.cmd('guest-ping')
            r = g.cmd('guest-exec', path='/bin/cat', arg=['/dev/shm/w/n'], **{'capture-output': True})
            g.close()
            ok += 1
        except Exception as e:
            fails += 1
            log.write('liveness fail: %r\n' % e)
        time.sleep(2)
    log.write('liveness ok=%d fails=%d\n' % (ok, fails))
    return fails == 0 and ok > 0


if __name__ == '__main__':
    r = main()
    print(json.dumps(r), flush=True)
    with open(os.path.join(r['out'], 'result.json'), 'w') as f:
        json.dump(r, f, indent=1)
