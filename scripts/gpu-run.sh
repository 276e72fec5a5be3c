#!/usr/bin/env bash
# One device call: runs several gpu-scoring.sh parts in a row and packs their results into $OUT/gpu-results.tgz
# (the device tool returns at most 8 files). Usage: scripts/gpu-run.sh "kernels" "hacks" "refs 3" ...
set -uo pipefail
cd "$(dirname "$0")/.."
final=${OUT:-.kbh/gpu-out}
export OUT=$(mktemp -d)/gpu-results
mkdir -p "$OUT" "$final"
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,uuid,driver_version --format=csv,noheader; nvcc --version | tail -1
  python3 -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  nproc; .publish/kbh --version; } >"$OUT/environment.txt" 2>&1
cat "$OUT/environment.txt"
for part in "$@"; do
  echo "=== $part ($(date -u +%T))"
  # shellcheck disable=SC2086
  timeout "${PART_TIMEOUT:-560}" scripts/gpu-scoring.sh $part || echo "part '$part' ended with $?"
done
tar czf "$final/gpu-results.tgz" -C "$(dirname "$OUT")" gpu-results
