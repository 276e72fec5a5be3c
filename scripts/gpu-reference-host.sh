#!/usr/bin/env bash
# Why kbh's launch-bound *reference* times are slower than KernelBench's (CUDA-L1's Level 2 references, sessions
# 22-24, H100) when its candidates' times match: the same code timed (1) by kbh as a candidate and as the reference
# (scripts/gpu-same-code.sh), and (2) outside kbh, KernelBench's trial step by step (scripts/bench/kb_trial_breakdown.py)
# unpinned, as KernelBench's process runs, and pinned to the cores kbh gives its one GPU worker (the first two of 16).
#   KBH_KERNELBENCH  a checkout (CUDA-L1's references: gpu-corpus.sh's WORK/problems)   default .kbh/corpus-work-L2/problems
#   PROBLEMS         level/id pairs                                                    default "2/1 2/5 2/18"
#   PIN              the cores of the pinned breakdown (taskset -c)                    default 0,1
#   CUDA_L1, KERNELS CUDA-L1's file and the level/id pairs of its kernels also broken down (a candidate's trial: the
#                    false timer_mismatch of L2/18 and L2/12, sessions 23-24)  default .kbh/cuda-l1/h100.json, "2/12 2/18"
#   OUT                                                                                default results/runs/reference-host
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KBH_KERNELBENCH=${KBH_KERNELBENCH:-$ROOT/.kbh/corpus-work-L2/problems}
export PROBLEMS=${PROBLEMS:-2/1 2/5 2/18}
OUT=${OUT:-$ROOT/results/runs/reference-host}
PYTHON=${KBH_PYTHON:-python3}
mkdir -p "$OUT"
rm -f "$OUT/breakdown.md"
OUT=$OUT/same REPEAT=${REPEAT:-1} TIMINGS=kernelbench "$ROOT/scripts/gpu-same-code.sh" >/dev/null 2>"$OUT/same-code.log" \
  || echo "gpu-same-code.sh exit $? (see $OUT/same-code.log)" >&2
breakdown() {  # $1: the section's title; the rest: kb_trial_breakdown.py's arguments. Unpinned, then pinned.
  local title=$1 where run; shift
  for where in unpinned pinned; do
    run=("$PYTHON" "$ROOT/scripts/bench/kb_trial_breakdown.py" "$@" --device "${DEVICE:-cuda}")
    [[ $where == pinned ]] && run=(taskset -c "${PIN:-0,1}" "${run[@]}")
    { echo "## $title, $where"; "${run[@]}" 2>&1 || echo "exit $?"; echo; } >>"$OUT/breakdown.md"
  done
}
for file in "$OUT"/same/candidates/*.py; do
  breakdown "$(basename "$file" _sample_0_kernel.py)" --source "$file"
done
for pair in ${KERNELS-2/12 2/18}; do
  breakdown "CUDA-L1 kernel L$pair" --cuda-l1 "${CUDA_L1:-$ROOT/.kbh/cuda-l1/h100.json}" --level "${pair%/*}" \
    --task "${pair#*/}"
done
cat "$OUT/same/same-code.md" "$OUT/breakdown.md"
