#!/bin/bash
# Builds the busybox test guest of this experiment from Debian packages:
#   OUT/vmlinuz     kernel of linux-image-amd64's current dependency (linux-image-6.1.0-*-amd64 on Debian 12)
#   OUT/initrd.img  gzip'd newc initramfs: busybox-static, init.sh as /init, the virtio-serial modules in /lib/mods
#
# usage: build-guest.sh [OUT]          (default: guest/ next to this script, ignored by git)
#   KERNEL_PKG=linux-image-6.1.0-57-amd64 build-guest.sh   picks the kernel package instead of resolving it
#   .deb files already in OUT/debs/ are reused (no download).
# Needs apt-get (with Debian 12 sources), dpkg-deb, tar, gzip, find; xz/zstd only if the modules are compressed.
# Does not need root: the packages are unpacked, not installed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/guest}
mkdir -p "$OUT/debs"
OUT=$(cd "$OUT" && pwd)
DEBS=$OUT/debs

if [ -z "${KERNEL_PKG:-}" ]; then
  KERNEL_PKG=$(apt-cache depends linux-image-amd64 2>/dev/null \
    | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
  [ -n "$KERNEL_PKG" ] || { echo "cannot resolve linux-image-amd64's kernel package (apt-get update?)" >&2; exit 1; }
fi
echo "kernel package: $KERNEL_PKG"

fetch() {  # fetch PKG -> path of its .deb in $DEBS
  local f
  f=$(ls "$DEBS/$1"_*.deb 2>/dev/null | head -1 || true)
  if [ -z "$f" ]; then
    (cd "$DEBS" && apt-get download "$1" >&2)
    f=$(ls "$DEBS/$1"_*.deb | head -1)
  fi
  echo "$f"
}
KDEB=$(fetch "$KERNEL_PKG")
BDEB=$(fetch busybox-static)
echo "using $(basename "$KDEB") $(basename "$BDEB")"

WORK=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# only what is needed from the 70 MB kernel package: vmlinuz, modules.builtin and the virtio modules
dpkg-deb --fsys-tarfile "$KDEB" | tar -x -C "$WORK" --wildcards --no-anchored \
  'vmlinuz-*' 'modules.builtin' 'virtio*.ko*'
dpkg-deb -x "$BDEB" "$WORK/bb"

VMLINUZ=$(find "$WORK" -path '*/boot/vmlinuz-*' | head -1)
MODDIR=$(dirname "$(find "$WORK" -name modules.builtin | head -1)")
[ -n "$VMLINUZ" ] && [ -d "$MODDIR" ] || { echo "no vmlinuz/modules in $KDEB" >&2; exit 1; }

ROOT=$WORK/root
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,lib/mods}
cp "$WORK/bb/bin/busybox" "$ROOT/bin/busybox"
cp "$HERE/init.sh" "$ROOT/init"
chmod 755 "$ROOT/init" "$ROOT/bin/busybox"
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_console; do
  f=$(find "$MODDIR" \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" \) | head -1)
  if [ -z "$f" ]; then
    if grep -q "/$m.ko\$" "$MODDIR/modules.builtin"; then
      touch "$ROOT/lib/mods/$m.builtin"; echo "module $m: built in"; continue
    fi
    echo "module $m not found in $KERNEL_PKG" >&2; exit 1
  fi
  case "$f" in   # busybox insmod wants a plain .ko
    *.ko.xz)  xz -dc "$f" ;;
    *.ko.zst) zstd -qdc "$f" ;;
    *.ko.gz)  gzip -dc "$f" ;;
    *)        cat "$f" ;;
  esac > "$ROOT/lib/mods/$m.ko"
  echo "module $m: ${f#"$MODDIR"/}"
done

cp "$VMLINUZ" "$OUT/vmlinuz"
# pack with the package's own busybox cpio (the host may have no cpio)
(cd "$ROOT" && find . | "$WORK/bb/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$OUT/initrd.img.tmp"
mv "$OUT/initrd.img.tmp" "$OUT/initrd.img"
{
  echo "kernel: $(basename "$KDEB")"
  echo "busybox: $(basename "$BDEB")"
  echo "init: $(sha256sum "$HERE/init.sh" | cut -d' ' -f1)  init.sh"
} > "$OUT/MANIFEST"
echo "built $OUT/vmlinuz $OUT/initrd.img"
