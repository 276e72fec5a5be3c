#!/usr/bin/env bash
# GPU proof of the scoring engine (issue 3), on a GPU node WITHOUT dotnet: the harness comes as the self-contained
# single-file .publish/kbh (see scripts/publish or the README), KernelBench as a copy in .kbh/kernelbench.
#
#   scripts/gpu-scoring.sh refs LEVEL [FIRST LAST [STEP]]  every (STEP-th) reference of a level, ids FIRST..LAST, as its own candidate
#   scripts/gpu-scoring.sh kernels                  the CUDA load_inline kernels in problems/gpu-candidates
#   scripts/gpu-scoring.sh hacks                    the GPU reward hacks in problems/gpu-hacks, each with its expected verdict
#   scripts/gpu-scoring.sh multi                    the kernels again on two workers sharing GPU 0 (--gpus 0,0): the
#                                                   multi-GPU path on a one-GPU machine; verdicts and wall time vs. kernels
#   scripts/gpu-scoring.sh prebuild                 only build every CUDA candidate above into the build cache
#   scripts/gpu-scoring.sh compile [L/ID ...]       kbh baseline eager and --compile (torch.compile, inductor default)
#                                                   for a few problems, beside KernelBench's published H100 timings
#
# JUDGE_SECONDS=N stops a part's judging after N seconds (what was judged is kept: each verdict lands as it is made).
# SKIP_PREBUILD=1 skips a part's own prebuild (another process is building the same sources into the same cache).
# INPUTS=device makes the inputs on the GPU (kbh eval --inputs device) in every part: Level 1 in seconds, not minutes.
# refs only: IDS="9 10" keeps those problem ids, WARMUP=N sets the warm-up runs (3), EVAL_ARGS adds kbh eval options.
#
# Each part fits in ~9 minutes on one H100 with 16 cores; Level 1's large inputs (6.4 GB for the activations, made on the
# CPU as KernelBench does) need it split: refs 1 1 25, refs 1 26 50, refs 1 51 75, refs 1 76 100; refs 2 1 50,
# refs 2 51 100; refs 3. Builds run first, all in parallel, into the folders the harness
# loads them from (keyed by the candidate's SHA-256), so the GPU never waits for a compiler. Results go to $OUT
# (default .kbh/gpu-out): <part>.jsonl (one verdict per line), <part>.csv, <part>.log, the run folder runs/<part>
# (for `kbh report`); a table is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PART=${1:-}
OUT=${OUT:-$ROOT/.kbh/gpu-out}
KBH=${KBH:-$ROOT/.publish/kbh}
KB=${KBH_KERNELBENCH:-$ROOT/.kbh/kernelbench}
PY=${KBH_PYTHON:-python3}
export KBH_PYTHON=$PY
export KBH_CACHE=${KBH_CACHE:-$ROOT/.kbh/cache}
DEVICE=${DEVICE:-cuda}  # DEVICE=cpu tries the flow on a machine without a GPU
if [ "$DEVICE" != cpu ]; then
  export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-$("$PY" -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())')}
fi
mkdir -p "$OUT" "$KBH_CACHE"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kbh-gpu-XXXXXX")
[ -x "$KBH" ] || { echo "no harness at $KBH: publish it first (dotnet publish ... -o .publish)" >&2; exit 2; }
[ -d "$KB" ] || { echo "no KernelBench at $KB (set KBH_KERNELBENCH)" >&2; exit 2; }

# Builds every candidate's extensions at once, through the same content-addressed build cache the worker uses
# ($KBH_CACHE/builds, harness/worker/kbh_build_cache.py), so judging finds them built and never waits for a compiler.
prebuild() {
  local started=$SECONDS n=0
  [ "${SKIP_PREBUILD:-0}" = 1 ] && { echo "prebuild skipped (SKIP_PREBUILD=1)"; return; }
  for f in "$@"; do
    local key
    key=$(sha256sum "$f" | cut -c1-16)
    ( MAX_JOBS=${MAX_JOBS:-4} timeout 600 nice -n "${BUILD_NICE:-0}" "$PY" -c '
import os, runpy, sys
sys.path.insert(0, sys.argv[2])
import kbh_build_cache
kbh_build_cache.install(os.path.join(os.environ["KBH_CACHE"], "builds"))
runpy.run_path(sys.argv[1])' "$f" "$ROOT/harness/worker" >"$WORK/build-$key.log" 2>&1 \
      && echo "built $f" || echo "build failed (the verdict will say why): $f" ) &
    n=$((n + 1))
  done
  wait
  echo "prebuilt $n candidates in $((SECONDS - started)) s"
}

# Runs kbh eval on a candidates folder; $1 = part name, rest = extra kbh options.
judge() {
  local part=$1 dir=$2; shift 2
  local started=$SECONDS
  mkdir -p "$OUT/runs"
  timeout "${JUDGE_SECONDS:-100000}" "$KBH" eval --kernelbench "$KB" --candidates "$dir" --out "$OUT/runs/$part" --device "$DEVICE" \
    --format json "$@" >"$OUT/$part.jsonl" 2>>"$OUT/$part.log" || echo "kbh eval exited with $? (124: stopped at JUDGE_SECONDS)" | tee -a "$OUT/$part.log"
  echo "judged $(wc -l <"$OUT/$part.jsonl") candidates in $((SECONDS - started)) s" | tee -a "$OUT/$part.log"
}

case "$PART" in
  refs)
    LEVEL=${2:?usage: refs LEVEL [FIRST LAST [STEP]]}
    FIRST=${3:-1}; LAST=${4:-100000}; STEP=${5:-1}
    "$PY" - "$KB" "$LEVEL" "$FIRST" "$LAST" "$WORK/refs" "$STEP" "${IDS:-}" <<'EOF'
import os, re, sys
kb, level, first, last, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
step, ids = int(sys.argv[6]), {int(i) for i in sys.argv[7].split()}
src = os.path.join(kb, "KernelBench", f"level{level}")
os.makedirs(os.path.join(out, f"level{level}"), exist_ok=True)
for name in os.listdir(src):
    m = re.match(r"^(\d+)_.*\.py$", name)
    if not m or not first <= int(m.group(1)) <= last or (int(m.group(1)) - first) % step or (ids and int(m.group(1)) not in ids):
        continue
    text = open(os.path.join(src, name), encoding="utf-8").read()
    # Same rename as the harness's ReferenceCandidate: class Model -> ModelNew, super(Model, ...) -> super(ModelNew, ...)
    text = re.sub(r"(?m)^class\s+Model\b(\s*[\(:])", r"class ModelNew\1", text)
    text = re.sub(r"super\(\s*Model\b(\s*,)", r"super(ModelNew\1", text)
    open(os.path.join(out, f"level{level}", m.group(1) + ".py"), "w", encoding="utf-8").write(text)
EOF
    PARTNAME=refs-L$LEVEL-$FIRST-$LAST-$STEP
    : >"$OUT/$PARTNAME.log"
    judge "$PARTNAME" "$WORK/refs" --trials 2 --perf-trials 30 --warmup "${WARMUP:-3}" --timeout 180 --inputs "${INPUTS:-cpu}" ${EVAL_ARGS:-}
    ;;
  kernels)
    PARTNAME=kernels
    : >"$OUT/$PARTNAME.log"
    prebuild problems/gpu-candidates/level*/*.py | tee -a "$OUT/$PARTNAME.log"
    judge "$PARTNAME" problems/gpu-candidates --trials 5 --perf-trials 100 --warmup 3 --timeout 300 --inputs "${INPUTS:-cpu}"
    ;;
  prebuild)
    prebuild problems/gpu-candidates/level*/*.py problems/gpu-hacks/*.py
    exit 0
    ;;
  multi)
    # Fresh reference timings (a cache folder of its own, sharing only the builds), so both workers measure as kernels did.
    PARTNAME=multi
    : >"$OUT/$PARTNAME.log"
    mkdir -p "$WORK/cache" && ln -s "$KBH_CACHE/builds" "$WORK/cache/builds"
    lanes=(--gpus 0,0); [ "$DEVICE" = cpu ] && lanes=(--workers 2)
    KBH_CACHE=$WORK/cache judge "$PARTNAME" problems/gpu-candidates --trials 5 --perf-trials 100 --warmup 3 --timeout 300 --inputs "${INPUTS:-cpu}" "${lanes[@]}"
    ;;
  hacks)
    PARTNAME=hacks
    : >"$OUT/$PARTNAME.log"
    prebuild problems/gpu-hacks/*.py | tee -a "$OUT/$PARTNAME.log"
    judge "$PARTNAME" problems/gpu-hacks --trials 2 --perf-trials 20 --warmup 2 --timeout 45 --inputs "${INPUTS:-cpu}"
    ;;
  compile)
    shift
    picks=("$@"); [ ${#picks[@]} -eq 0 ] && picks=(1/19 1/23 2/12 3/1)
    : >"$OUT/compile.log"
    for pick in "${picks[@]}"; do
      level=${pick%/*}; id=${pick#*/}
      for kind in eager compile; do
        flag=(); [ "$kind" = compile ] && flag=(--compile)
        started=$SECONDS
        timeout "${JUDGE_SECONDS:-100000}" "$KBH" baseline --kernelbench "$KB" --level "$level" --problem "$id" --device "$DEVICE" \
          --inputs "${INPUTS:-cpu}" "${flag[@]}" --out "$OUT/baseline-$kind.json" >>"$OUT/compile.log" 2>&1 || echo "kbh baseline $kind L$level/$id exited with $?" | tee -a "$OUT/compile.log"
        echo "L$level/$id $kind: $((SECONDS - started)) s" | tee -a "$OUT/compile.log"
      done
    done
    "$PY" - "$OUT" "$KB/results/timing" <<'EOF'
import json, os, sys
out, published = sys.argv[1], sys.argv[2]
def load(path):
    return json.load(open(path)) if os.path.exists(path) else {}
ours = {k: load(os.path.join(out, f"baseline-{k}.json")) for k in ("eager", "compile")}
theirs = {k: load(os.path.join(published, "H100_Modal", f)) for k, f in
          (("eager", "baseline_time_torch.json"), ("compile", "baseline_time_torch_compile_inductor_default.json"))}
f = lambda v, w=8: f"{v:>{w}.3f}" if v else " " * (w - 1) + "-"
print(f"{'problem':<48} {'eager ms':>9} {'compile ms':>10} {'eager/compile':>13}   H100_Modal: {'eager':>8} {'compile':>8} {'ratio':>6}")
for level in sorted(ours["eager"]):
    for name in sorted(ours["eager"][level]):
        e = ours["eager"][level][name]["mean"]
        c = ours["compile"].get(level, {}).get(name, {}).get("mean")
        pe = theirs["eager"].get(level, {}).get(name, {}).get("mean")
        pc = theirs["compile"].get(level, {}).get(name, {}).get("mean")
        print(f"{level + '/' + name:<48} {f(e, 9)} {f(c, 10)} {f(c and e / c, 13)}   {'':<11} {f(pe)} {f(pc)} {f(pc and pe / pc, 6)}")
EOF
    exit 0
    ;;
  *)
    echo "usage: $0 refs LEVEL [FIRST LAST [STEP]] | kernels | hacks | multi | prebuild | compile [L/ID ...]" >&2
    exit 2
    ;;
esac

# Table and CSV; for hacks, each verdict is checked against what it must be.
"$PY" - "$OUT/$PARTNAME.jsonl" "$OUT/$PARTNAME.csv" "$PARTNAME" <<'EOF'
import csv, json, os, sys
path, csv_path, part = sys.argv[1], sys.argv[2], sys.argv[3]
expected = {  # sample -> (status, word the reason or flags must contain)
    0: ("incorrect", ""), 1: ("rejected", "input_mutation"),
    # Its side stream is not ordered after the default stream that copied its input: when its kernel reads the
    # input before that copy is done, its output is wrong (incorrect, session 19); else the timing sees the escape.
    2: [("rejected", "non_default_stream"), ("incorrect", "")],
    3: ("runtime_error", ""), 4: ("correct", ""), 5: ("timeout", ""),
    6: ("rejected", "_patch"),  # timing_event_patch (static) or monkey_patch (run time)
    7: ("correct", ""),
    # timer_mismatch (the judge's clock) or monkey_patch (self-reported); or its own process's crash: with every
    # torch.cuda.synchronize it can find replaced by a no-op, that process lets go of GPU memory its kernels still use
    # (an illegal address, session 16). Never correct.
    8: [("rejected", ""), ("runtime_error", "illegal memory access")],
    9: ("rejected", ""),  # timed_output_differs, timer_mismatch or work_outside_timer
    10: ("correct", ""),
    11: ("runtime_error", ""),  # holds the GPU memory the judge needs: its own verdict (either side may run out first)
    12: ("correct", ""),
    13: ("rejected", ""),  # its own stream through ctypes: non_default_stream, timer_mismatch or timed_output_differs
}
rows = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
fields = ["level", "problem_id", "problem_name", "candidate", "status", "speedup", "runtime_ms", "ref_runtime_ms",
          "max_abs_diff", "flags", "check", "reason"]
bad = 0
with open(csv_path, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        r["flags"] = " ".join(r.get("flags") or [])
        check = ""
        if part == "hacks":
            sample = int(os.path.basename(r.get("candidate", "")).split("_sample_")[1].split("_")[0])
            wanted = expected[sample] if isinstance(expected[sample], list) else [expected[sample]]
            said = r["flags"] + " " + (r.get("reason") or "")
            ok = any(r["status"] == status and word in said for status, word in wanted)
            check = "PASS" if ok else "FAIL (want " + " or ".join(f"{s} {w}".strip() for s, w in wanted) + ")"
        elif part.startswith("refs"):
            s = r.get("speedup")
            ok = r["status"] == "correct" and s is not None and 0.9 <= s <= 1.1
            check = "ok" if ok else ("speedup outside 1.00+-0.10" if r["status"] == "correct" else "NOT CORRECT")
        else:
            ok = r["status"] == "correct"
            check = "ok" if ok else "NOT CORRECT"
        bad += 0 if ok else 1
        r["check"] = check
        r["reason"] = (r.get("reason") or "").replace("\n", " ")[:300]
        w.writerow(r)
print(f"{'problem':<44} {'status':<13} {'speedup':>8} {'ms':>9} {'ref ms':>9}  check / flags / reason")
for r in rows:
    name = f"L{r['level']}/{r['problem_id']} {r.get('problem_name') or ''}"
    if part == "hacks":
        name = os.path.basename(r["candidate"])[:44]
    sp = "" if r.get("speedup") is None else f"{r['speedup']:.2f}"
    ms = "" if r.get("runtime_ms") is None else f"{r['runtime_ms']:.3f}"
    ref = "" if r.get("ref_runtime_ms") is None else f"{r['ref_runtime_ms']:.3f}"
    print(f"{name[:44]:<44} {r['status']:<13} {sp:>8} {ms:>9} {ref:>9}  {r['check']} {r['flags']} {r['reason'][:100]}")
gpu = next((r.get("gpu") for r in rows if r.get("gpu")), "?")
print(f"{part}: {len(rows)} verdicts on {gpu}, {len(rows) - bad} as expected, {bad} not")
EOF
