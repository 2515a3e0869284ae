#!/bin/bash
# The A/B of this experiment: interleaved chains of the reproducer with -m 192 (A, QEMU < 9.0 loses TCG writes)
# and -m 196616K = 192 MiB + 8 KiB (B, kvmj's padding: off the 256 KiB grid), then the counts.
# usage: run-ab.sh ROUNDS [LANES] [extra chain.py args...]
#   ROUNDS  chains per variant (each: 1 pre-copy + 3 post-copy moves, ~1 min on a quiet 2-core host)
#   LANES   chains at the same time (default 1)
#   extra   appended to both variants and win over the defaults, e.g. --post 1 --watch 5
# env: GUEST_DIR (default guest/ next to this script; built by build-guest.sh when missing),
#      OUT (default runs/ab-<date>/ next to this script)
set -eu
if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
rounds=$1; shift
lanes=1
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then lanes=$1; shift; fi
GUEST_DIR=${GUEST_DIR:-$HERE/guest}
OUT=${OUT:-$HERE/runs/ab-$(date +%Y%m%d-%H%M%S)}
[ -f "$GUEST_DIR/initrd.img" ] && [ -f "$GUEST_DIR/vmlinuz" ] || "$HERE/build-guest.sh" "$GUEST_DIR"
# the reproducer of REPORT: q35 (chain default), 2 vCPUs, cpu max, MTTCG, 64 MiB/s, switch after the first pass
B="--pre 1 --post 3 --virtio --watch 10 --bw 64 --smp 2 --cpu max --guest-dir $GUEST_DIR $*"
echo "runs in $OUT; qemu: $(qemu-system-x86_64 --version | head -1)"
"$HERE/batch.sh" "$OUT" "$rounds" "$lanes" "$B --mem 192" "$B --mem 196616K"
echo "moves tried / guest alive afterwards (A: mem=192, B: mem=196616K):"
python3 "$HERE/stats.py" "$OUT"
