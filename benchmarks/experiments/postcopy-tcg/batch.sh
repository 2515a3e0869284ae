#!/bin/bash
# Interleaved rounds of chain.py variants.
# usage: batch.sh OUTDIR ROUNDS LANES "chain args" ["chain args" ...]
#   Each round runs every variant once, in the order given; up to LANES chains run at the same time (1 = one after
#   the other). Chain r of variant v goes to OUTDIR/r<r>v<v>/; the per-hop JSON lines go to OUTDIR/out.jsonl,
#   stderr to OUTDIR/err.log. Count the results with: stats.py OUTDIR
#   The chain args are split on whitespace (no quoting inside them).
set -u
if [ $# -lt 4 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
out=$1; rounds=$2; lanes=$3; shift 3
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do v=0
  for args in "$@"; do v=$((v+1))
    ( python3 "$HERE/chain.py" "$out/r${r}v${v}" $args >> "$out/out.jsonl" 2>>"$out/err.log" ) &
    while [ "$(jobs -rp | wc -l)" -ge "$lanes" ]; do sleep 1; done
  done
done; wait
