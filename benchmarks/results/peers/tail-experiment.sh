set -e
J="java -Xms128m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp /work/wt/perf/benchmarks/target/kvmj-benchmarks.jar io.kvmj.bench.peers.QmpDriverMain"
d=/tmp/perfgo/q; rm -rf $d; mkdir -p $d
qemu-system-x86_64 -machine none -nodefaults -display none $(for s in a b c d e; do echo -qmp unix:$d/$s.sock,server=on,wait=off; done) &
qp=$!
sleep 1
summ() { python3 -c '
import sys
for line in sys.stdin:
    f=line.split()
    if f[0]=="lat":
        v=sorted(map(int,f[1:])); n=len(v)
        print(sys.argv[1], "n=%d p50=%.0f p99=%.0f" % (n, v[n//2]/1e3, v[int(n*0.99)]/1e3), end=" ")
    elif f[0]=="thr": print("thr%s=%.0f" % (f[1], int(f[2])/(int(f[3])/1e9)), end=" ")
print()' "$1"; }
for r in 1 2 3; do
  $J minimal $d/a.sock 1500 1500 600 1,8 | summ minimal
  $J kvmj $d/b.sock 1500 1500 600 1,8 | summ kvmj-w1.5
  $J kvmjNoPoll $d/c.sock 1500 1500 600 1,8 | summ kvmjNoPoll
  $J kvmj $d/d.sock 6000 1500 600 1,8 | summ kvmj-w6
  java -Xlog:gc:file=/tmp/perfgo/gc$r.log -Xms128m -Xmx512m -cp /work/wt/perf/benchmarks/target/kvmj-benchmarks.jar io.kvmj.bench.peers.QmpDriverMain kvmj $d/e.sock 1500 1500 600 1,8 | summ kvmj-gclog
  cat /proc/loadavg
done
kill $qp
