#!/usr/bin/env bash
# Why do launch-bound references-as-candidates leave 1.00 +- 0.10? The same references judged under several settings,
# each with a fresh cache (so the reference is timed again, not reused), while nvidia-smi samples the GPU's clocks.
#
#   OUT=$OUT scripts/gpu-timing-stability.sh            on the GPU node (needs .publish/kbh and .kbh/kernelbench)
#   VARIANTS="w1-warm3 w2-warm50" IDS="9 16" LEVEL=3    the default runs the Level 3 models that left it on 2026-12-02
#
# A variant is w<workers>-warm<warm-up runs>, with -interleaved to time each reference beside its candidate
# (kbh eval --timing-order interleaved). Results: $OUT/stability.tgz with each variant's verdicts and clock
# samples, and a table of speedups per problem and variant (printed at the end, also stability.table).
set -uo pipefail
cd "$(dirname "$0")/.."
final=${OUT:-.kbh/gpu-out}
work=$(mktemp -d)/stability
mkdir -p "$work" "$final"
LEVEL=${LEVEL:-3}
export IDS=${IDS:-9 10 15 16 19 20 22 23 24 28 32 34 35 36 37 39 40 41 42}
export INPUTS=${INPUTS:-device}
VARIANTS=${VARIANTS:-w2-warm3 w2-warm3-interleaved w2-warm3-again w2-warm3-interleaved-again}
for variant in $VARIANTS; do
  workers=${variant#w}; workers=${workers%%-*}; warm=${variant#*warm}; warm=${warm%%-*}
  order=separate; [[ "$variant" == *-interleaved* ]] && order=interleaved
  echo "=== $variant (workers $workers, warm-up $warm, timing order $order) $(date -u +%T)"
  nvidia-smi --query-gpu=timestamp,clocks.sm,clocks.mem,power.draw,utilization.gpu --format=csv,noheader -lms 200 \
    >"$work/clocks-$variant.csv" 2>/dev/null &
  sampler=$!
  KBH_CACHE=$(mktemp -d) OUT=$work/$variant WARMUP=$warm EVAL_ARGS="--workers $workers --timing-order $order" \
    timeout "${VARIANT_S:-150}" scripts/gpu-scoring.sh refs "$LEVEL" >"$work/$variant.log" 2>&1
  kill $sampler 2>/dev/null
  tail -1 "$work/$variant.log"
done
python3 - "$work" $VARIANTS <<'PY' | tee "$work/stability.table"
import csv, glob, json, statistics, sys
work, variants = sys.argv[1], sys.argv[2:]
rows = {}
for v in variants:
    for path in glob.glob(f"{work}/{v}/*.jsonl"):
        for line in open(path):
            if line.startswith("{"):
                r = json.loads(line)
                rows.setdefault((r["level"], r["problem_id"], r.get("problem_name", "")), {})[v] = r
print(f"{'problem':<34}" + "".join(f"{v:>22}" for v in variants))
print(f"{'':<34}" + "".join(f"{'speedup (cand/ref ms)':>22}" for v in variants))
for key in sorted(rows):
    cells = []
    for v in variants:
        r = rows[key].get(v)
        if not r or r.get("speedup") is None:
            cells.append(f"{(r or {}).get('status', '-'):>22}")
        else:
            cells.append(f"{r['speedup']:>6.2f} ({r['runtime_ms']:.2f}/{r['ref_runtime_ms']:.2f})".rjust(22))
    print(f"L{key[0]}/{key[1]} {key[2][:28]:<29}" + "".join(cells))
inside = {v: sum(1 for k in rows if rows[k].get(v, {}).get("speedup") and abs(rows[k][v]["speedup"] - 1) <= 0.1) for v in variants}
print(f"{'within 1.00 +- 0.10':<34}" + "".join(f"{inside[v]:>22}" for v in variants))
for v in variants:  # SM clock while the variant ran: median and the share of samples under 1.5 GHz
    try:
        sm = [float(r[1].split()[0]) for r in csv.reader(open(f"{work}/clocks-{v}.csv")) if len(r) > 2]
        print(f"{v}: SM clock median {statistics.median(sm):.0f} MHz, min {min(sm):.0f}, "
              f"{100 * sum(1 for s in sm if s < 1500) / len(sm):.0f}% of {len(sm)} samples under 1500 MHz")
    except (OSError, ValueError, statistics.StatisticsError) as e:
        print(f"{v}: no clock samples ({e})")
PY
tar czf "$final/stability.tgz" -C "$(dirname "$work")" stability
