#!/usr/bin/env bash
# GPU proof of the trust boundary (issue 19), in one device call, on a GPU node without dotnet:
#   1. the GPU reward hacks and timer cases (problems/gpu-hacks, scripts/gpu-scoring.sh hacks), each against the
#      verdict it must get;
#   2. the 26-candidate throughput set (scripts/bench-throughput.sh), cold then warm cache, judged by this build
#      (.publish/kbh: a fresh candidate process per candidate) and, when .publish-before/kbh exists, by the build it is
#      compared with (the judge importing candidates itself), in the same call on the same GPU.
# Each part's files land in $OUT/<part>.tgz as it ends (the device tool brings back at most 8 files), the summary in
# $OUT/summary.txt, and where each candidate's time went in after against before in $OUT/phases-<mode>.md.
#   here:   scripts/publish.sh --kernelbench <KernelBench checkout>
#           git worktree add /tmp/before <commit> && (cd /tmp/before && scripts/publish.sh) && cp -r /tmp/before/.publish .publish-before
#   there:  OUT=$OUT scripts/gpu-trust.sh            (carry .publish, .publish-before and .kbh/kernelbench)
# MODES (default "b c") picks the throughput modes (see bench-throughput.sh); PARTS (default "hacks before after"; also
# "unsandboxed": this build with --sandbox off, which starts no spare processes; "nospares": the sandbox on without
# them (KBH_SPARES=0): the two differ in the sandbox alone; "spareafter": spares started when a check is over
# (KBH_SPARES=after); "endwait": each candidate's process ended before its check answers (KBH_END=wait);
# "again": this build once more, warm
# (AGAIN_MODES, default c), for the spread between runs; "doctor": kbh doctor). BEFORE_MODES, AFTER_MODES,
# UNSANDBOXED_MODES, NOSPARES_MODES, SPAREAFTER_MODES and ENDWAIT_MODES override MODES per part; after, again, unsandboxed, nospares
# and spareafter share one build
# cache, so e.g. AFTER_MODES=b UNSANDBOXED_MODES=c NOSPARES_MODES=c times the sandbox warm.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-.kbh/trust-out}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kbh-trust-XXXXXX")
mkdir -p "$OUT"
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null
  nvcc --version 2>/dev/null | tail -1; echo "cores $(nproc)"
  python3 -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  .publish/kbh --version; } >"$WORK/environment.txt" 2>&1
cat "$WORK/environment.txt"
throughput() {  # $1 = the kbh to run, $2 = its modes, then VAR=value settings; $part names the output folder
  env OUT="$WORK/$part" KBH="$1" PIPELINE_MODES="$2" "${@:3}" scripts/bench-throughput.sh pipeline table 2>&1
}
for part in ${PARTS:-hacks before after}; do
  echo "=== $part ($(date -u +%T))"
  case "$part" in
    hacks) OUT=$WORK/hacks KBH=.publish/kbh INPUTS=${INPUTS:-cpu} scripts/gpu-scoring.sh hacks 2>&1 ;;
    before) [ -x .publish-before/kbh ] || { echo "no .publish-before/kbh: skipped"; continue; }
            throughput .publish-before/kbh "${BEFORE_MODES:-${MODES:-b c}}" ;;
    # after, again and unsandboxed share one build cache (this build's), so the last two may run warm only.
    after) throughput .publish/kbh "${AFTER_MODES:-${MODES:-b c}}" BENCH_CACHE=$WORK/cache ;;
    again) throughput .publish/kbh "${AGAIN_MODES:-c}" BENCH_CACHE=$WORK/cache ;;
    unsandboxed) throughput .publish/kbh "${UNSANDBOXED_MODES:-${MODES:-b c}}" BENCH_CACHE=$WORK/cache \
                   KBH_EVAL_ARGS="--sandbox off" ;;
    # The sandbox on, but no spare processes, as with it off: nospares against unsandboxed is the sandbox alone.
    nospares) throughput .publish/kbh "${NOSPARES_MODES:-${MODES:-b c}}" BENCH_CACHE=$WORK/cache KBH_SPARES=0 ;;
    # Spares started when a check is over instead of while its candidate loads.
    spareafter) throughput .publish/kbh "${SPAREAFTER_MODES:-${MODES:-b c}}" BENCH_CACHE=$WORK/cache KBH_SPARES=after ;;
    # Each candidate's process ended on the lane's path, before its check answers (as before session 25).
    endwait) throughput .publish/kbh "${ENDWAIT_MODES:-${MODES:-b c}}" BENCH_CACHE=$WORK/cache KBH_END=wait ;;
    doctor) .publish/kbh doctor 2>&1 ;;
    *) echo "unknown part $part" >&2 ;;
  esac
  # (No `| tail` above: a call stopped at its limit still brings back what each part printed so far.)
  # Each part's files as soon as it ends: a call stopped at its limit still brings back the parts it finished.
  [ -d "$WORK/$part" ] && tar czf "$OUT/$part.tgz" -C "$WORK" "$part"
done | tee "$OUT/summary.txt"
cp "$WORK/environment.txt" "$OUT/"
# Where each candidate's time went in this build against the one before, warm (and cold), when both ran.
# (A call without both parts compares nothing: that is no failure.)
for mode in c b; do
  if [ -f "$WORK/before/bench/$mode.jsonl" ] && [ -f "$WORK/after/bench/$mode.jsonl" ]; then
    python3 scripts/bench/phase_compare.py "$WORK/before/bench/$mode.jsonl" "$WORK/after/bench/$mode.jsonl" \
      --labels before after >"$OUT/phases-$mode.md" 2>&1
  fi
done
