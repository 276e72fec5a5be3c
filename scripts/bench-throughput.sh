#!/usr/bin/env bash
# Throughput benchmark (issue 4), on the GPU node: the same candidate set (scripts/bench/make_throughput_set.py, 26
# load_inline candidates over Levels 1-3, two of them exact duplicates, half sharing one extension's bindings) judged by
#   kernelbench   (a) KernelBench's own flow: every candidate built at once (one process each, one per core at a
#                     time, each in its own build folder), then one fresh Python process per candidate, serially
#                     (scripts/bench/kernelbench_flow.py)
#   pipeline      (b) kbh eval, cold cache: build workers (one per core) ahead of long-lived GPU workers
#                     (GPU_WORKERS per GPU, default 2, taking turns on it: one constructs the next model on the host
#                     while the other is on the GPU), then
#                 (c) the same command again on the warm cache
#                 (d) warm cache again, inputs made on the GPU (--inputs device): what the check costs without
#                     KernelBench's CPU-made inputs (other input values; reported beside the others).
#                 (e) warm cache, --timing-order separate: the reference timed once per problem, as KernelBench
#                     (the default, interleaved, times it again beside every candidate)
#                 (f) warm cache, ATTEMPTS (default 3) candidates per problem, as a closed loop's attempts at one
#                     problem (make_throughput_set.py --attempts: sample 0 and copies with a comment of their own):
#                     the problem's reference is made once for them all; beside (c), what one more attempt costs
#                 (g) as (f), with --timing-order separate (the reference timed once per problem, not beside each)
#                 (h) as (c), (i) as (f), with KBH_FAST_FILL=0 THP_MEM_ALLOC_ENABLE=0: torch draws the weights and
#                 inputs serially itself, in 4 KB pages, for the same run's measure of what kbh_fast_fill's exact
#                 parallel draws and the workers' huge pages save
#                 (j) as (c) with --host-draws own: each GPU worker's draws on its own two cores only, not the
#                 build workers' cores too
#                 (k) as (c) with --pinned-gib 0: weights and inputs copied to the GPU from pageable memory, not
#                 staged in page-locked memory before the GPU turn (kbh_pinned.py)
#                 KBH_EVAL_ARGS adds kbh eval options to every mode (e.g. "--sandbox off").
#                 PIPELINE_MODES lists NAME[:WORKERS] entries (default "b c d"): b... cold, c... warm, d... warm with
#                 inputs on the GPU, e... warm, separate timing, f... warm, several attempts per problem (after b or
#                 c: its extensions come from their cache), g... as f with separate timing; e.g. "b c c1:1 c4:4" for
#                 worker counts side by side.
#   alone         one typical candidate built alone: torch's plain build; kbh's fast build with everything cold
#                 (the precompiled header included); another candidate after it (precompiled header present)
#   table         the table (scripts/bench/throughput_table.py) from everything under $OUT/bench
# Parts run in the order given (default: all); each writes under $OUT/bench, so parts split over several device calls
# add up. GPU busy share: nvidia-smi utilization samples every 250 ms while a mode runs.
#   OUT=$OUT scripts/bench-throughput.sh kernelbench alone        one device call (~8 min on one H100/H200)
#   OUT=$OUT scripts/bench-throughput.sh pipeline table           another
#   DEVICE=cpu KBH=scripts/kbh KBH_PYTHON=/usr/bin/python3 ONLY=3/4,2/68 scripts/bench-throughput.sh pipeline table   plumbing on a CPU
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KBH=${KBH:-$ROOT/.publish/kbh}
KB=${KBH_KERNELBENCH:-$ROOT/.kbh/kernelbench}
PY=${KBH_PYTHON:-python3}
export KBH_PYTHON=$PY
DEVICE=${DEVICE:-cuda}
OUT=${OUT:-$ROOT/.kbh/bench-out}
B=$OUT/bench
mkdir -p "$B"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kbh-bench-XXXXXX")
JOBS=${JOBS:-$(nproc)}
if [ "$DEVICE" != cpu ]; then
  export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-$("$PY" -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())')}
fi
SET=$WORK/set
"$PY" scripts/bench/make_throughput_set.py "$KB" "$SET" ${ONLY:+--only "$ONLY"} $([ "$DEVICE" = cpu ] && echo --cpu) | tee "$B/set.txt"
ls "$SET" >"$B/candidates.txt"
stamp() { echo "=== $* ($(date -u +%T))"; }
gpu_sampler() {  # $1 = file; prints its pid
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits -lms 250 >"$1" 2>/dev/null &
    echo $!
  else echo 0; fi
}
stop_sampler() { [ "$1" != 0 ] && kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; true; }

{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null; nvcc --version 2>/dev/null | tail -1
  "$PY" -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  echo "cores $(nproc)"; "$KBH" --version; } >"$B/environment.txt" 2>&1

kernelbench() {
  stamp "(a) KernelBench's flow: builds, $JOBS at once"
  local builds=$WORK/kb-builds t0=$SECONDS pid
  mkdir -p "$builds"
  pid=$(gpu_sampler "$B/a-gpu.txt")
  local pids=() f n
  for f in "$SET"/*.py; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    n=$(basename "$f" .py)
    "$PY" scripts/bench/kernelbench_flow.py build "$f" "$builds/$n" >"$WORK/a-build-$n.json" 2>"$WORK/a-build-$n.log" &
    pids+=($!)
  done
  wait "${pids[@]}"
  local t1=$SECONDS
  for f in "$SET"/*.py; do
    # DEADLINE_S: stop judging (the rows so far and the summary are kept) once the mode has run that long.
    [ $((SECONDS - t0)) -ge "${DEADLINE_S:-100000}" ] && { echo "stopped at DEADLINE_S"; break; }
    n=$(basename "$f" .py); s=$(date +%s.%N)
    timeout 600 "$PY" scripts/bench/kernelbench_flow.py eval "$f" "$KB" "$builds/$n" >"$WORK/a-eval-$n.json" 2>"$WORK/a-eval-$n.log" \
      || echo '{"status": "runtime_error", "reason": "the eval process failed"}' >>"$WORK/a-eval-$n.json"
    e=$(date +%s.%N)
    "$PY" - "$n" "$WORK/a-build-$n.json" "$WORK/a-eval-$n.json" "$s" "$e" >>"$B/a.jsonl" <<'PYEOF'
import json, sys
n, b, e, s, t = sys.argv[1:6]
def last(p):
    try: return json.loads(open(p).read().strip().splitlines()[-1])
    except Exception: return {}
print(json.dumps({"candidate": n + ".py", "build": last(b), "eval": last(e), "eval_wall_s": float(t) - float(s)}))
PYEOF
  done
  stop_sampler "$pid"
  echo "{\"mode\": \"a\", \"wall_s\": $((SECONDS - t0)), \"build_phase_s\": $((t1 - t0)), \"eval_phase_s\": $((SECONDS - t1)), \"candidates\": $(ls "$SET" | wc -l)}" >"$B/a-summary.json"
  cat "$B/a-summary.json"
}

pipeline() {
  # BENCH_CACHE: a build cache kept across calls of this script (e.g. a warm-only mode after another part's cold run).
  local cache=${BENCH_CACHE:-$WORK/kbh-cache} spec
  for spec in ${PIPELINE_MODES:-b c d}; do
    # NAME[:WORKERS]: the mode is NAME's first letter (b...g, above); WORKERS GPU workers per GPU taking turns on it
    # (default $GPU_WORKERS). Files are named NAME, or NAME-wN with a worker count.
    local mode=${spec%%:*} workers=${GPU_WORKERS:-2} name=${spec%%:*} extra=() extra_env=() cands=$SET fill=1
    [[ "$spec" == *:* ]] && { workers=${spec#*:}; name="$mode-w$workers"; }
    case "${mode:0:1}" in
      b) rm -rf "$cache" ;;
      d) extra=(--inputs device) ;;
      e) extra=(--timing-order separate) ;;
      h) fill=0 ;;
      j) extra=(--host-draws own) ;;
      k) extra=(--pinned-gib 0) ;;
      f|g|i) cands=$WORK/set-f
         [ "${mode:0:1}" = g ] && extra=(--timing-order separate)
         [ "${mode:0:1}" = i ] && fill=0
         [ -d "$cands" ] || "$PY" scripts/bench/make_throughput_set.py "$KB" "$cands" --attempts "${ATTEMPTS:-3}" \
           ${ONLY:+--only "$ONLY"} $([ "$DEVICE" = cpu ] && echo --cpu) | tee "$B/set-f.txt" ;;
    esac
    stamp "($name) kbh eval, $([ "${mode:0:1}" = b ] && echo cold || echo warm) cache, $workers GPU worker(s) ${extra[*]}"
    local t0=$SECONDS pid
    pid=$(gpu_sampler "$B/$name-gpu.txt")
    env "${extra_env[@]}" KBH_FAST_FILL=$fill THP_MEM_ALLOC_ENABLE=$fill KBH_CACHE=$cache timeout 1200 "$KBH" eval --kernelbench "$KB" --candidates "$cands" --device "$DEVICE" --format json \
      --out "$WORK/run-$name" --build-workers "$JOBS" --workers "$workers" "${extra[@]}" ${KBH_EVAL_ARGS:-} >"$B/$name.jsonl" 2>"$B/$name.log"
    local rc=$?
    stop_sampler "$pid"
    # When each candidate's judging started and ended (the run folder's attempts), for the table's timeline.
    "$PY" - "$WORK/run-$name/attempts.jsonl" >"$B/$name-times.jsonl" <<'PYEOF'
import json, os, sys
for line in open(sys.argv[1]) if os.path.exists(sys.argv[1]) else []:
    r = {k.replace("_", "").lower(): v for k, v in json.loads(line).items()}
    print(json.dumps({"candidate": os.path.basename(r.get("source", "")), "started": r.get("startedat"),
                      "ended": r.get("endedat")}))
PYEOF
    cp "$WORK/run-$name/timeline.json" "$B/$name-timeline.json" 2>/dev/null || true  # the harness's own stages
    echo "{\"mode\": \"$name\", \"wall_s\": $((SECONDS - t0)), \"exit\": $rc, \"candidates\": $(ls "$cands" | wc -l), \"gpu_workers\": $workers}" >"$B/$name-summary.json"
    cat "$B/$name-summary.json"
  done
  KBH_CACHE=$cache "$KBH" cache info --format json >"$B/cache-info.json" 2>&1 || true
}

alone() {
  local typical=$SET/level_2_problem_12_sample_0_kernel.py next=$SET/level_2_problem_14_sample_0_kernel.py
  [ -f "$typical" ] || typical=$(ls "$SET"/*.py | head -1)
  [ -f "$next" ] || next=$(ls "$SET"/*.py | tail -1)
  local pch=$([ "$DEVICE" = cpu ] && echo 0 || echo 1)
  stamp "alone: plain torch build of $(basename "$typical")"
  "$PY" scripts/bench/kernelbench_flow.py build "$typical" "$WORK/alone-plain" >"$B/alone-plain.json" 2>"$B/alone-plain.log"
  cat "$B/alone-plain.json"
  local drive='import json, os, sys, time, runpy
sys.path.insert(0, sys.argv[2])
import kbh_build_cache
kbh_build_cache.install(sys.argv[3])
t = time.perf_counter()
runpy.run_path(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t, "entries": kbh_build_cache.stats()["entries"]}))'
  stamp "alone: fast build, everything cold"
  KBH_CC_PCH=$pch "$PY" -c "$drive" "$typical" "$ROOT/harness/worker" "$WORK/alone-cache" >"$B/alone-fast-cold.json" 2>"$B/alone-fast-cold.log"
  cat "$B/alone-fast-cold.json"
  stamp "alone: fast build of another candidate, precompiled header present"
  KBH_CC_PCH=$pch "$PY" -c "$drive" "$next" "$ROOT/harness/worker" "$WORK/alone-cache" >"$B/alone-fast-next.json" 2>"$B/alone-fast-next.log"
  cat "$B/alone-fast-next.json"
}

table() { "$PY" scripts/bench/throughput_table.py "$B" | tee "$B/table.md"; }

parts=("$@"); [ ${#parts[@]} -eq 0 ] && parts=(kernelbench pipeline alone table)
for p in "${parts[@]}"; do
  case "$p" in kernelbench|pipeline|alone|table) "$p" ;; *) echo "unknown part $p" >&2; exit 2 ;; esac
done
