#!/bin/sh
# /init of the kvmj guest-disk benchmark (busybox ash), packed by io.kvmj.bench.guest.GuestDiskSuite with
# the demo guest's initramfs writer. For every virtio disk: dd sequential write with conv=fsync (first
# half), dd O_DIRECT write (second half), then drop caches and read the first half back. Each dd is
# timed with adjtimex (µs; this busybox dd prints no rate). Prints "KVMJ-BENCH: ..." lines, powers off.
# The mounts, arg and load_modules come from the demo's shared preamble (Initramfs.COMMON_SCRIPT).
. /lib/kvmj/init-common.sh
B() { echo "KVMJ-BENCH: $*"; }
load_modules
want=$(arg kvmj.disks); mib=$(arg kvmj.mib)
i=0
while [ "$(ls /sys/block | grep -c '^vd')" -lt "$want" ] && [ $i -lt 100 ]; do usleep 100000; i=$((i+1)); done
B "start disks=$(ls /sys/block | grep -c '^vd') want=$want mib=$mib uptime=$(cut -d' ' -f1 /proc/uptime)"
now_us() { adjtimex | awk '/tv_sec/ { s = $2 } /tv_usec/ { u = $2 } END { printf "%d%06d\n", s, u }'; }
run() {
  dev=$1; serial=$2; name=$3; shift 3
  t0=$(now_us)
  if "$@" 2>/tmp/dd.err; then
    t1=$(now_us)
    B "disk=$dev serial=$serial test=$name bytes=$((mib * 1048576)) us=$((t1 - t0)) status=ok"
  else
    B "disk=$dev serial=$serial test=$name bytes=0 us=0 status=fail:$(tail -n 1 /tmp/dd.err | tr ' =' '__')"
  fi
}
for dev in $(ls /sys/block | grep '^vd'); do
  serial=$(cat /sys/block/$dev/serial 2>/dev/null)
  [ -n "$serial" ] || serial=none
  run $dev $serial write-fsync dd if=/dev/zero of=/dev/$dev bs=1M count=$mib conv=fsync
  run $dev $serial write-direct dd if=/dev/zero of=/dev/$dev bs=1M count=$mib seek=$mib oflag=direct
  sync
  echo 3 > /proc/sys/vm/drop_caches
  run $dev $serial read dd if=/dev/$dev of=/dev/null bs=1M count=$mib
done
B "done uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
echo o > /proc/sysrq-trigger
sleep 10
