#!/usr/bin/env bash
# The reference's own code judged as a candidate (`class ModelNew(Model): pass`), under KernelBench's timing: the
# speedup of the same code must come out near 1. It asks whether kbh times the reference (in the judge's process) as it
# times a candidate (in the candidate's), with no second evaluator in the call: launch-bound references came out up to
# 4x slower than KernelBench's while the candidates' times matched (sessions 22-23, H100).
#   KBH_KERNELBENCH  a KernelBench checkout (levelN/ at its top or under KernelBench/)   default .kbh/kernelbench
#   PROBLEMS         level/id pairs                                  default launch-bound ones, "1/19 1/20 2/9 2/12 3/4"
#   REPEAT           runs of the whole set (each its own kbh eval)   default 3
#   TIMINGS          kbh --timing values                             default "kernelbench"
#   DEVICE, KBH, OUT                                                 default cuda, .publish/kbh, results/runs/same-code
# Prints a markdown table (OUT/same-code.md): per problem and timing, each run's candidate and reference ms and speedup.
# Writes only its own files in OUT (candidates/, runs/, <timing>-<run>.jsonl and .log, same-code.md), each call afresh.
# Exits 1 when a kbh eval failed (the table shows what the others judged), 2 on a problem the checkout lacks.
# On this project's CPU: DEVICE=cpu KBH=scripts/kbh KBH_KERNELBENCH=problems PROBLEMS="1/1 1/2" scripts/gpu-same-code.sh
set -euo pipefail
set -f  # (PROBLEMS and TIMINGS are words, not globs)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KB=${KBH_KERNELBENCH:-$ROOT/.kbh/kernelbench}
KBH=${KBH:-$ROOT/.publish/kbh}
DEVICE=${DEVICE:-cuda}
OUT=${OUT:-$ROOT/results/runs/same-code}
PROBLEMS=${PROBLEMS:-1/19 1/20 2/9 2/12 3/4}
PYTHON=${KBH_PYTHON:-python3}
LEVELS_AT=$KB
[[ -d "$KB/KernelBench" ]] && LEVELS_AT=$KB/KernelBench  # (a clone of KernelBench's repository)
rm -rf "$OUT/candidates" "$OUT/runs" "$OUT/same-code.md"
mkdir -p "$OUT/candidates"
for pair in $PROBLEMS; do
  level=${pair%/*} id=${pair#*/}
  file=$(set +f; compgen -G "$LEVELS_AT/level$level/${id}_*.py" | head -1 || true)
  [[ -n "$file" ]] || { echo "no problem $pair in $LEVELS_AT/level$level" >&2; exit 2; }
  { cat "$file"; printf '\n\nclass ModelNew(Model):\n    pass\n'; } >"$OUT/candidates/level_${level}_problem_${id}_sample_0_kernel.py"
done
failed=0
for timing in ${TIMINGS:-kernelbench}; do
  for run in $(seq 1 "${REPEAT:-3}"); do
    echo "=== $timing run $run ($(date -u +%T))" >&2
    rm -f "$OUT/$timing-$run.jsonl" "$OUT/$timing-$run.log"
    "$KBH" eval --kernelbench "$KB" --candidates "$OUT/candidates" --device "$DEVICE" --timing "$timing" \
      --policy kernelbench --workers 1 --format json --out "$OUT/runs/$timing-$run" >"$OUT/$timing-$run.jsonl" \
      2>"$OUT/$timing-$run.log" || { echo "kbh eval exit $? (see $OUT/$timing-$run.log)" >&2; failed=1; }
  done
done
runs=(); for timing in ${TIMINGS:-kernelbench}; do for run in $(seq 1 "${REPEAT:-3}"); do
  runs+=("$OUT/$timing-$run.jsonl"); done; done
"$PYTHON" - "${runs[@]}" <<'EOF' | tee "$OUT/same-code.md"
import json, os, sys
rows, runs = {}, []
for path in sys.argv[1:]:
    timing, run = os.path.basename(path)[:-len(".jsonl")].rsplit("-", 1)
    runs.append(int(run))
    for line in open(path):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if not isinstance(e, dict) or "level" not in e or "problem_id" not in e:
            continue
        cand, ref = e.get("runtime_ms"), e.get("ref_runtime_ms")
        cell = str(e.get("status")) if e.get("status") != "correct" else \
            f"{cand:.4f}, {ref:.4f}: {ref / cand:.2f}x" if cand and ref else "correct, not timed"
        rows.setdefault((int(e["level"]), int(e["problem_id"]), timing), {})[int(run)] = cell
runs = sorted(set(runs))
print("| problem | timing | " + " | ".join(f"run {r}: candidate ms, reference ms: speedup" for r in runs) + " |")
print("|---|---|" + "---|" * len(runs))
for (level, pid, timing), cells in sorted(rows.items()):
    print(f"| L{level}/{pid} | {timing} | " + " | ".join(cells.get(r, "") for r in runs) + " |")
EOF
exit "$failed"
