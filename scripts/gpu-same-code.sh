#!/usr/bin/env bash
# The reference's own code judged as a candidate (`class ModelNew(Model): pass`), under KernelBench's timing: the
# speedup of the same code must come out near 1. It asks whether kbh times the reference (in the judge's process) as it
# times a candidate (in the candidate's), with no second evaluator in the call: launch-bound references came out up to
# 4x slower than KernelBench's while the candidates' times matched (sessions 22-23, H100).
#   KBH_KERNELBENCH  a KernelBench checkout                          default .kbh/kernelbench (problems/ on a CPU)
#   PROBLEMS         level/id pairs                                  default launch-bound ones, "1/19 1/20 2/9 2/12 3/4"
#   REPEAT           runs of the whole set (each its own kbh eval)   default 3
#   TIMINGS          kbh --timing values                             default "kernelbench"
#   DEVICE, KBH, OUT                                                 default cuda, .publish/kbh, results/runs/same-code
# Prints a markdown table (OUT/same-code.md): per problem and timing, each run's candidate and reference ms and speedup.
# On this project's CPU: DEVICE=cpu KBH=scripts/kbh KBH_KERNELBENCH=problems PROBLEMS="1/1 1/2" scripts/gpu-same-code.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KB=${KBH_KERNELBENCH:-$ROOT/.kbh/kernelbench}
KBH=${KBH:-$ROOT/.publish/kbh}
DEVICE=${DEVICE:-cuda}
OUT=${OUT:-$ROOT/results/runs/same-code}
PROBLEMS=${PROBLEMS:-1/19 1/20 2/9 2/12 3/4}
PYTHON=${KBH_PYTHON:-python3}
mkdir -p "$OUT/candidates"
rm -f "$OUT"/candidates/*.py "$OUT"/*.jsonl
for pair in $PROBLEMS; do
  level=${pair%/*} id=${pair#*/}
  file=$(ls "$KB"/level"$level"/"$id"_*.py 2>/dev/null | head -1 || true)
  [[ -n "$file" ]] || { echo "no problem $pair in $KB/level$level" >&2; exit 2; }
  { cat "$file"; printf '\n\nclass ModelNew(Model):\n    pass\n'; } >"$OUT/candidates/level_${level}_problem_${id}_sample_0_kernel.py"
done
for timing in ${TIMINGS:-kernelbench}; do
  for run in $(seq 1 "${REPEAT:-3}"); do
    echo "=== $timing run $run ($(date -u +%T))" >&2
    "$KBH" eval --kernelbench "$KB" --candidates "$OUT/candidates" --device "$DEVICE" --timing "$timing" \
      --policy kernelbench --workers 1 --format json --out "$OUT/runs/$timing-$run" >"$OUT/$timing-$run.jsonl" \
      2>"$OUT/$timing-$run.log" || echo "kbh eval exit $? (see $OUT/$timing-$run.log)" >&2
  done
done
"$PYTHON" - "$OUT" <<'EOF' | tee "$OUT/same-code.md"
import glob, json, os, re, sys
out = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(out, "*-*.jsonl"))):
    timing, run = os.path.basename(path)[:-6].rsplit("-", 1)
    for line in open(path):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        m = re.search(r"level_(\d+)_problem_(\d+)_", str(e.get("candidate", "")))
        if not m:
            continue
        cell = f"{e.get('status')}" if e.get("status") != "correct" else \
            f"{e['runtime_ms']:.4f} / {e['ref_runtime_ms']:.4f} = {e['ref_runtime_ms'] / e['runtime_ms']:.2f}"
        rows.setdefault((int(m[1]), int(m[2]), timing), {})[int(run)] = cell
runs = sorted({r for cells in rows.values() for r in cells})
print("| problem | timing | " + " | ".join(f"run {r}: candidate / reference ms = speedup" for r in runs) + " |")
print("|---|---|" + "---|" * len(runs))
for (level, pid, timing), cells in sorted(rows.items()):
    print(f"| L{level}/{pid} | {timing} | " + " | ".join(cells.get(r, "") for r in runs) + " |")
EOF
