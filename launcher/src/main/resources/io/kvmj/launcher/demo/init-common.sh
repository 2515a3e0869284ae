# Shared preamble of kvmj guest /init scripts (busybox ash), sourced as ". /lib/kvmj/init-common.sh".
# io.kvmj.launcher.demo.Initramfs writes it into every initramfs. Sets PATH, installs the busybox applets,
# mounts /proc, /sys and /dev, defines arg (a kernel command line value) and load_modules.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s

# arg NAME: the value of NAME=value on the kernel command line (empty if absent)
arg() {
  for w in $(cat /proc/cmdline); do
    case "$w" in "$1"=*) echo "${w#*=}"; return 0 ;; esac
  done
}

# load_modules: insmod the modules in /lib/modules/kvmj/order (dependency order, written by the host);
# sets $loaded and $failed to comma-separated names, each with a leading comma
load_modules() {
  loaded=""; failed=""
  for m in $(cat /lib/modules/kvmj/order 2>/dev/null); do
    if insmod "/lib/modules/kvmj/$m.ko" 2>/tmp/insmod.err; then
      loaded="$loaded,$m"
    else
      failed="$failed,$m"
      echo "insmod $m failed: $(cat /tmp/insmod.err)"
    fi
  done
}
