#!/usr/bin/env bash
# Real-kernel corpus (issue 21): KernelBench's own evaluator and kbh on the same published kernels, in one call, and
# a table of both verdicts and speedups with every disagreement's reason. Fetches nothing: it takes
#   CORPUS          CUDA-L1's optimized_cuda_code/<gpu>.json (or codes/<gpu>.json), or a folder of KernelBench-format
#                   samples (level_L_problem_P_sample_S_kernel.py)          default .kbh/cuda-l1/h100.json
#   KBH_KERNELBENCH a KernelBench checkout (problems: names, and the references with REFERENCE=checkout)
#                                                                            default .kbh/kernelbench
#   KB_SRC          KernelBench's source tree (src/kernelbench/eval.py; a work tree at commit 423217d)
#                                                                            default .kbh/kernelbench-src
# Parts (PARTS, default all, in this order; each resumes where an earlier call stopped, in WORK):
#   select    PER_LEVEL kernels (default 20) of each of LEVELS (default 1,2,3), sorted by problem id, written as
#             candidate files; REFERENCE=own (CUDA-L1's reference code, the default for its files) or checkout
#             (the checkout's problem; kernels whose shipped reference differs are skipped); ONLY (e.g. 1/10,3/*) keeps
#             only those problems of that selection (scripts/bench/corpus_select.py)
#   kb-build  KernelBench's build_compile_cache for every kernel, JOBS at once, each into its own folder: its flow
#             with build_cache on, so the serial GPU phase loads builds instead of compiling (corpus_kernelbench.py);
#             when a kbh part follows, kbh builds the same kernels beside it (KBH_PREBUILD=1, the default: `kbh eval
#             --no-perf`, one correctness trial, its verdicts kept apart in WORK/kbh/prebuild.jsonl) into the build
#             cache its runs share, with PREBUILD_WORKERS (default 8) check workers, and kb-eval starts only when
#             both have ended: no compiler runs beside a timed call, and kbh's runs find their builds made (session
#             20: builds and constructor compiles took up to half of kbh's parity run, one at a time); KB_WARM=1 (the
#             default on a GPU) also constructs and calls each kernel once in its KernelBench build folder, so that
#             extensions compiled in a constructor or a first call are built in parallel rather than in KernelBench's
#             serial evaluation (session 21: 15-88 s each there); its verdicts do not change
#   kb-eval   KernelBench's eval_kernel_against_ref, one kernel at a time, each in a freshly spawned process with a
#             KB_TIMEOUT (default 180 s, its script's) limit: 5 correctness trials, 100 perf trials, cuda_event, fp32;
#             KB_ORDER (e.g. 3,2) judges those levels first, for a call that cannot judge them all; when a kbh part
#             follows, it takes at most KB_SHARE (default 0.5) of the time left, so kbh judges the same kernels in the
#             same call (a Level 1 kernel takes KernelBench's evaluator about 20 s: session 19's call spent all of it)
#   kbh       kbh eval --candidates on the kernels KernelBench's evaluator has judged (JUDGED=kb, the default; a
#             copy of each in WORK/judged) or on every selected one (JUDGED=all), once per RUNS entry POLICY:TIMING
#             (default kernelbench and evidence, each with the default timing and with --timing kernelbench);
#             --policy is passed only when `kbh eval --help` lists it (else one run per timing, named "default"); one shared build cache
#             (with --timing kernelbench, one lane per GPU, as KernelBench's flow: PARITY_WORKERS, default 1)
#   repeat    (REPEAT=1 adds it before the table) KernelBench's evaluator again on the kernels it judged
#             (WORK/repeat/kb.jsonl, KB_SHARE of the time left) and kbh's kernelbench:kernelbench run again
#             (WORK/repeat/kbh): each evaluator's own run-to-run spread of speedups, so that a kbh/KernelBench ratio is
#             read against it (session 21, H200: launch-bound Level 2 kernels moved by up to 5x between calls in
#             KernelBench's evaluator as in kbh)
#   table     the table (scripts/bench/corpus_table.py): $OUT/corpus.md and corpus.csv
# DEADLINE_S (default 540) bounds the whole call: no part starts a kernel after it, the table is always written, and
# a later call with the same WORK (default .kbh/corpus-work, kept on a warm machine) goes on. Expect, on one H100 with
# 16 cores and 60 kernels: kb-build 2-4 min, kb-eval ~5 s a kernel, each kbh run 2-6 s a kernel (the first cold).
# So 60 kernels and four kbh runs take two or three calls; PER_LEVEL=5 RUNS="kernelbench:kernelbench" fits one.
#   here:   scripts/publish.sh --kernelbench <checkout>; git -C <KernelBench clone> worktree add .kbh/kernelbench-src 423217d
#           (or a copy); cp <CUDA-L1>/optimized_cuda_code/h100.json .kbh/cuda-l1/
#   there:  OUT=$OUT scripts/gpu-corpus.sh    (carry .publish, .kbh/kernelbench, .kbh/kernelbench-src, .kbh/cuda-l1)
#   on a CPU (plumbing only: KernelBench's evaluator needs CUDA and says so per kernel):
#           DEVICE=cpu KBH=scripts/kbh KBH_PYTHON=/usr/bin/python3 PER_LEVEL=1 scripts/gpu-corpus.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KBH=${KBH:-$ROOT/.publish/kbh}
KB=${KBH_KERNELBENCH:-$ROOT/.kbh/kernelbench}
KB_SRC=${KB_SRC:-$ROOT/.kbh/kernelbench-src}
CORPUS=${CORPUS:-$ROOT/.kbh/cuda-l1/h100.json}
PY=${KBH_PYTHON:-python3}
export KBH_PYTHON=$PY
DEVICE=${DEVICE:-cuda}
JOBS=${JOBS:-$(nproc)}
WORK=${WORK:-$ROOT/.kbh/corpus-work}
OUT=${OUT:-$ROOT/.kbh/corpus-out}
DEADLINE_S=${DEADLINE_S:-540}
RUNS=${RUNS:-kernelbench:cuda_event evidence:cuda_event kernelbench:kernelbench evidence:kernelbench}
T0=$SECONDS
mkdir -p "$WORK/kbh" "$OUT"
LOG=$OUT/log.txt
say() { echo "=== $* (+$((SECONDS - T0)) s, $(date -u +%T))" | tee -a "$LOG"; }
left() { local l=$((DEADLINE_S - 15 - (SECONDS - T0))); echo $((l > 0 ? l : 0)); }  # 15 s kept for the table
# KernelBench's evaluation's share (KB_SHARE) of $1 seconds
share() { "$PY" -c 'import sys; print(max(1, int(float(sys.argv[1]) * float(sys.argv[2]))))' "$1" "${KB_SHARE:-0.5}"; }
# What else runs on the host before a timed part (WORK/host.txt): launch-bound kernels' times follow how soon their
# launching thread gets a core, and both evaluators' launch-bound speedups grew noisy from session 22 on.
host_load() { { echo "--- $1 ($(date -u +%T)) load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "processes by name: $(ps -eo comm= 2>/dev/null | sort | uniq -c | sort -rn | head -6 | awk '{printf "%s %s, ", $2, $1}')"
  # (running now, or 1% of a core or more over its life)
  ps -eo pid,ppid,stat,pcpu,etime,comm --sort=-pcpu 2>/dev/null | awk 'NR == 1 || $3 ~ /^R/ || $4 >= 1.0' | head -15
  } >>"$WORK/host.txt"; }
fail() { echo "gpu-corpus: $*" | tee -a "$LOG" >&2; exit 2; }

[ -e "$CORPUS" ] || fail "CORPUS $CORPUS does not exist (CUDA-L1's optimized_cuda_code/<gpu>.json or a sample folder)"
[ -d "$KB" ] || fail "KBH_KERNELBENCH $KB is not a folder (a KernelBench checkout)"
[ -f "$KB_SRC/src/kernelbench/eval.py" ] || fail "KB_SRC $KB_SRC has no src/kernelbench/eval.py (KernelBench's source tree)"
if [ "$DEVICE" != cpu ]; then
  export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-$("$PY" -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())')}
fi
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null
  nvcc --version 2>/dev/null | tail -1; echo "cores $(nproc)"
  "$PY" -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  "$KBH" --version
  # (Only its own work tree: git would otherwise walk up and name whatever repository holds a plain copy.)
  echo "KernelBench source: $([ -e "$KB_SRC/.git" ] && git -C "$KB_SRC" rev-parse HEAD || echo "not a git work tree (a copy)")"
  echo "corpus: $CORPUS ($(sha256sum "$CORPUS" 2>/dev/null | cut -c1-16))"
  echo "settings: PER_LEVEL=${PER_LEVEL:-20} LEVELS=${LEVELS:-1,2,3} ONLY=${ONLY:-} REFERENCE=${REFERENCE:-default} RUNS=$RUNS DEADLINE_S=$DEADLINE_S"
} >"$OUT/environment.txt" 2>&1
cat "$OUT/environment.txt" | tee -a "$LOG"

select_() {
  say "select"
  "$PY" scripts/bench/corpus_select.py "$CORPUS" "$KB" "$WORK" --per-level "${PER_LEVEL:-20}" --levels "${LEVELS:-1,2,3}" \
    ${REFERENCE:+--reference "$REFERENCE"} ${ONLY:+--only "$ONLY"} 2>&1 | tee -a "$LOG"
  [ "${PIPESTATUS[0]}" = 0 ] || fail "selection failed (above)"
}

prebuild() {  # $1 = seconds it may take
  say "kbh prebuild: kbh eval --no-perf on every selected kernel, beside KernelBench's builds ($1 s at most)"
  local args=(--kernelbench "$WORK/problems" --candidates "$WORK/candidates" --device "$DEVICE" --format json
              --out "$WORK/runs/prebuild" --no-perf --correctness-trials 1)
  # Several check workers: what takes the time here is extensions compiled in constructors and first calls (15-64 s
  # each, session 21), which run outside a worker's GPU turn; two workers left Level 1's prebuild at 257 s.
  [ "$DEVICE" != cpu ] && args+=(--build-workers "$JOBS" --workers "${PREBUILD_WORKERS:-8}")
  KBH_CACHE=$WORK/kbh-cache timeout --kill-after=10 "$1" "$KBH" eval "${args[@]}" \
    >>"$WORK/kbh/prebuild.jsonl" 2>>"$WORK/kbh/prebuild.log"
  say "kbh prebuild: exit $?, $(grep -c '^{' "$WORK/kbh/prebuild.jsonl") kernel(s) built and judged once (correctness only)"
}

kbh_follows() { [[ " ${PARTS:-kbh} " == *" kbh "* ]]; }  # (PARTS unset: every part, kbh's included)

kb() {  # $1 = build | eval
  [ -f "$WORK/selection.jsonl" ] || fail "no $WORK/selection.jsonl: run the select part first"
  local l pre=; l=$(left)
  [ "$l" -gt 0 ] || { say "kb-$1 skipped: the deadline has passed"; return; }
  if [ "$1" = build ] && [ "${KBH_PREBUILD:-1}" = 1 ] && kbh_follows; then
    prebuild "$((l / 2))" &  # at most half of what is left: KernelBench's evaluation still gets its share
    pre=$!
  fi
  if [ "$1" = eval ] && kbh_follows; then  # kbh's runs get the rest of the time
    l=$(share "$l")
  fi
  say "kb-$1 (KernelBench's own functions, $l s for it)"
  local extra=(--deadline-s "$l"); [ "$1" = eval ] && extra+=(--timeout "${KB_TIMEOUT:-180}" --order "${KB_ORDER:-}") || extra+=(--jobs "$JOBS")
  [ "$1" = build ] && [ "${KB_WARM:-1}" = 1 ] && [ "$DEVICE" != cpu ] && extra+=(--warm-device "${KB_WARM_DEVICE:-cuda:0}")
  timeout --kill-after=10 "$((l + 5))" "$PY" scripts/bench/corpus_kernelbench.py "$1" "$WORK" "$KB_SRC" "${extra[@]}" 2>&1 \
    | tee -a "$LOG" | grep -v '^\[Profiling\]' || true
  [ -n "$pre" ] && { say "kb-build done; waiting for kbh's builds"; wait "$pre"; }
  return 0
}

kbh_eval() {  # $1 policy, $2 timing, $3 verdict file (without .jsonl), $4 kbh's --out folder, $5 seconds
  local args=(--kernelbench "$WORK/problems" --candidates "$CANDIDATES" --device "$DEVICE" --format json --out "$4")
  [ "$DEVICE" != cpu ] && args+=(--build-workers "$JOBS")
  [ "$1" != default ] && args+=(--policy "$1")
  [ "$2" != cuda_event ] && args+=(--timing "$2")
  # Parity: one lane per GPU, as KernelBench's flow judges one kernel per GPU at a time. With two, the other lane's
  # candidate processes start and end (CUDA contexts) beside this lane's timed calls; launch-bound Level 3 networks
  # moved by up to 0.09 ms a call (session 16). PARITY_WORKERS overrides.
  [ "$2" = kernelbench ] && [ "$DEVICE" != cpu ] && args+=(--workers "${PARITY_WORKERS:-1}")
  mkdir -p "$(dirname "$3")"
  say "kbh $(basename "$3"): kbh eval ${args[*]} ${KBH_EVAL_ARGS:-} ($5 s left)"
  KBH_CACHE=$WORK/kbh-cache timeout --kill-after=10 "$5" "$KBH" eval "${args[@]}" ${KBH_EVAL_ARGS:-} \
    >>"$3.jsonl" 2>>"$3.log"
  local rc=$?
  say "kbh $(basename "$3"): exit $rc, $(grep -c '^{' "$3.jsonl") verdict line(s) so far$([ $rc = 124 ] && echo ', stopped at the deadline: a rerun goes on')"
}

kbh_features() {  # POLICY_OK, TIMING_OK: what this kbh's eval offers (asked once a call)
  [ -n "${POLICY_OK:-}" ] && return 0
  local help
  help=$("$KBH" eval --help 2>&1 | tr -s ' \n' '  ')  # one line: the help text wraps at the terminal's width
  POLICY_OK=0 TIMING_OK=0
  grep -q -- '--policy' <<<"$help" && POLICY_OK=1
  grep -q 'or kernelbench (KernelBench' <<<"$help" && TIMING_OK=1
  [ $POLICY_OK = 1 ] || say "note: this kbh has no --policy (kbh eval --help): one run per timing, named default"
}

judged() {  # CANDIDATES: the kernels KernelBench's evaluator judged (JUDGED=kb, the default) or every one, without
  # those the verdict file $1 already has (a later call on the same WORK); false: none
  CANDIDATES=$WORK/candidates
  [ "${JUDGED:-kb}" = kb ] || return 0
  "$PY" scripts/bench/corpus_kernelbench.py judged "$WORK" --without "$1" 2>&1 | tee -a "$LOG"
  CANDIDATES=$WORK/judged
  [ -n "$(ls -A "$CANDIDATES" 2>/dev/null)" ]
}

kbh() {
  local spec policy timing name seen=" " l
  kbh_features
  for spec in $RUNS; do
    policy=${spec%%:*} timing=${spec#*:}
    [ $POLICY_OK = 1 ] || policy=default
    if [ "$timing" = kernelbench ] && [ $TIMING_OK = 0 ]; then say "note: this kbh has no --timing kernelbench: $spec skipped"; continue; fi
    name="${policy}__${timing}"
    [[ "$seen" == *" $name "* ]] && continue
    seen+="$name "
    l=$(left)
    [ "$l" -gt 0 ] || { say "kbh $name skipped: the deadline has passed"; continue; }
    judged "$WORK/kbh/$name.jsonl" || { say "kbh $name skipped: no kernel KernelBench's evaluator judged is left for it"; continue; }
    kbh_eval "$policy" "$timing" "$WORK/kbh/$name" "$WORK/runs/$name" "$l"
  done
}

repeat() {  # both evaluators' parity measurements once more, on the same kernels: their own run-to-run spread
  [ -f "$WORK/kb.jsonl" ] || { say "repeat skipped: KernelBench's evaluator has judged nothing yet"; return; }
  local l; l=$(left)
  [ "$l" -gt 0 ] || { say "repeat skipped: the deadline has passed"; return; }
  l=$(share "$l")
  say "repeat: KernelBench's evaluator again on the kernels it judged ($l s for it)"
  timeout --kill-after=10 "$((l + 5))" "$PY" scripts/bench/corpus_kernelbench.py eval "$WORK" "$KB_SRC" --again \
    --out repeat/kb.jsonl --deadline-s "$l" --timeout "${KB_TIMEOUT:-180}" 2>&1 | tee -a "$LOG" | grep -v '^\[Profiling\]'
  kbh_features
  [ $TIMING_OK = 1 ] || { say "repeat: this kbh has no --timing kernelbench: kbh's part skipped"; return; }
  judged "$WORK/repeat/kbh/kernelbench__kernelbench.jsonl" || return 0
  l=$(left)
  [ "$l" -gt 0 ] || { say "repeat: kbh's part skipped: the deadline has passed"; return; }
  kbh_eval "$([ $POLICY_OK = 1 ] && echo kernelbench || echo default)" kernelbench \
    "$WORK/repeat/kbh/kernelbench__kernelbench" "$WORK/runs/repeat" "$l"
}

table() {
  say "table"
  "$PY" scripts/bench/corpus_table.py "$WORK" "$OUT" 2>&1 | tee -a "$LOG"
}

for part in ${PARTS:-select kb-build kb-eval kbh $([ "${REPEAT:-0}" = 1 ] && echo repeat) table}; do
  case "$part" in
    select) select_ ;;
    kb-build) kb build ;;
    kb-eval) host_load "before kb-eval"; kb eval ;;
    kbh) host_load "before kbh"; kbh ;;
    repeat) repeat ;;
    table) ;;
    *) fail "unknown part $part (select kb-build kb-eval kbh repeat table)" ;;
  esac
done
host_load "at the end"
table  # always: what is done so far
# The raw lines and logs, small, in one file (the device tool brings back few files).
tar czf "$OUT/corpus-work.tgz" -C "$WORK" selection.jsonl $(cd "$WORK" && ls -d kb.jsonl kb-build.jsonl kbh repeat host.txt 2>/dev/null)
say "done"
