#!/usr/bin/env bash
# Every GPU proof in one device call, ordered so that the GPU never waits for a compiler:
#   A. builds of every CUDA candidate (CPU, niced, in the background) and the agent loop (scripts/gpu-agent.sh: its first
#      answer does not compile, so it spends a minute on the CPU) while the GPU judges Level 3 and Level 2 references,
#      each submitted as its own candidate (they need no build);
#   B. the load_inline kernels, the GPU reward hacks, and the kernels again on two workers sharing GPU 0;
#   C. Level 1 references in the time left (their inputs are made on the CPU, as KernelBench makes them: slow).
# Needs the self-contained .publish/kbh and the KernelBench copy .kbh/kernelbench (scripts/publish.sh --kernelbench DIR).
#
#   OUT=$OUT BUDGET_S=540 scripts/gpu-proof.sh      on the GPU node; everything comes back as $OUT/gpu-proof.tgz
#   DEVICE=cpu KBH=scripts/kbh KBH_PYTHON=/usr/bin/python3 BUDGET_S=900 scripts/gpu-proof.sh    the plumbing, on a CPU
set -uo pipefail
cd "$(dirname "$0")/.."
final=${OUT:-.kbh/gpu-out}
export OUT
OUT=$(mktemp -d)/gpu-proof
mkdir -p "$OUT" "$final"
export KBH_CACHE=${KBH_CACHE:-$PWD/.kbh/cache}
export DEVICE=${DEVICE:-cuda}
BUDGET=${BUDGET_S:-540}
start=$SECONDS
left() { echo $((BUDGET - (SECONDS - start))); }
# A part's time box: N seconds, or what is left of the budget less 25 s for packing, whichever is less.
box() { local l=$(( $(left) - 25 )); echo $(( $1 < l ? $1 : l )); }
stamp() { echo "=== $* (t=$((SECONDS - start)) s, $(date -u +%T))"; }

{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,uuid,driver_version,memory.total --format=csv,noheader 2>/dev/null
  nvcc --version 2>/dev/null | tail -1
  ${KBH_PYTHON:-python3} -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  echo "cores $(nproc)"; ${KBH:-.publish/kbh} --version; } >"$OUT/environment.txt" 2>&1
cat "$OUT/environment.txt"

stamp "A: builds and the agent loop in the background, Level 3 and 2 references on the GPU"
BUILD_NICE=15 scripts/gpu-scoring.sh prebuild >"$OUT/prebuild.log" 2>&1 &
builds=$!
AGENT_WORK=$OUT/agent-gpu timeout "$(box 400)" scripts/gpu-agent.sh >"$OUT/agent.log" 2>&1 &
agent=$!
JUDGE_SECONDS=$(box "${REFS3_S:-150}") scripts/gpu-scoring.sh refs 3 >"$OUT/refs-L3.table" 2>&1
JUDGE_SECONDS=$(box "${REFS2_S:-130}") scripts/gpu-scoring.sh refs 2 >"$OUT/refs-L2.table" 2>&1

# No wait for the builds: a judge that reaches a candidate still being built waits on that build's lock, then loads it.
stamp "B: kernels, hacks, two workers on one GPU"
JUDGE_SECONDS=$(box 120) SKIP_PREBUILD=1 scripts/gpu-scoring.sh kernels >"$OUT/kernels.table" 2>&1
JUDGE_SECONDS=$(box 150) SKIP_PREBUILD=1 scripts/gpu-scoring.sh hacks >"$OUT/hacks.table" 2>&1
wait $agent
echo "agent loop: exit $?"
JUDGE_SECONDS=$(box 90) SKIP_PREBUILD=1 scripts/gpu-scoring.sh multi >"$OUT/multi.table" 2>&1

l1=$(box 100000)
stamp "C: Level 1 references for ${l1} s"
[ "$l1" -gt 30 ] && JUDGE_SECONDS=$l1 scripts/gpu-scoring.sh refs 1 >"$OUT/refs-L1.table" 2>&1

stamp "done"
kill $builds 2>/dev/null; tail -1 "$OUT/prebuild.log"
for t in "$OUT"/*.table; do tail -1 "$t"; done
grep -E "^(PASS|FAIL|ALL PASS|[0-9]+ FAILED)" "$OUT/agent.log" | tail -25
tar czf "$final/gpu-proof.tgz" -C "$(dirname "$OUT")" gpu-proof
ls -la "$final"
