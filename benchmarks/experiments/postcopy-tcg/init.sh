#!/bin/busybox sh
# /init of the busybox test guest (build-guest.sh packs it into initrd.img).
# - mounts a 200 MiB tmpfs and keeps rewriting 64 MiB of it (dd from urandom) plus md5sum: the memory-dirtying load
# - prints "GUEST: ready", then "TICK n uptime" on ttyS0 every second
# - with a virtio-serial port (-device virtserialport): "VTICK n" on it 5 times a second
# - with "pctcg.console=1" on the kernel command line (chain.py --console): ticks in the background and evals every
#   line read from the console, so the host can probe the guest with echo commands
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs -o size=200m tmpfs /tmp
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_console; do
  [ -e /lib/mods/$m.builtin ] && continue   # built into the kernel (build-guest.sh marks it)
  insmod /lib/mods/$m.ko || echo "insmod $m failed"
done
sleep 1; ls /dev/vport* 2>&1
echo "GUEST: ready"
( i=0; while :; do dd if=/dev/urandom of=/tmp/d bs=1M count=64 2>/dev/null; i=$((i+1)); done ) &
( while :; do md5sum /tmp/d >/dev/null 2>&1; done ) &
P=$(ls /dev/vport*p1 2>/dev/null | head -1)
if [ -n "$P" ]; then ( j=0; while :; do j=$((j+1)); echo "VTICK $j" > $P; usleep 200000; done ) & fi
if grep -q 'pctcg.console=1' /proc/cmdline; then
  ( n=0; while :; do n=$((n+1)); echo "TICK $n $(cut -d' ' -f1 /proc/uptime)"; sleep 1; done ) &
  while :; do while read -r line; do eval "$line"; done; done
fi
n=0
while :; do n=$((n+1)); echo "TICK $n $(cut -d' ' -f1 /proc/uptime)"; sleep 1; done
