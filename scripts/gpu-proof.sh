#!/usr/bin/env bash
# The GPU proofs, in device calls of at most ~9 minutes each. Nothing is timed beside builds or beside another process
# that uses the GPU: on 2026-12-02 every reference-as-candidate speedup that left 1.00 ± 0.10 had been timed that way.
#
#   scripts/gpu-proof.sh core    A. every CUDA candidate built at once (CPU) while the agent loop runs (its first answer
#                                   does not compile; its speedups are informational, timed beside the builds);
#                                B. then, alone on the GPU: the load_inline kernels, the GPU reward hacks, and the
#                                   kernels again on two workers sharing GPU 0 (the multi-GPU path on one GPU).
#   scripts/gpu-proof.sh refs    Level 3, 2 and 1 references, each submitted as its own candidate (no builds), in the
#                                time left; Level 1 last: it makes inputs of up to 6.4 GB on the CPU per trial seed
#                                (INPUTS=device makes them on the GPU). REFS="3 2:1-50" picks levels and id ranges.
#   scripts/gpu-proof.sh checks  the GPU reward hacks (built first, then judged alone on the GPU), and the eager and
#                                torch.compile baselines of a few problems (kbh baseline [--compile]).
#
# Needs the self-contained .publish/kbh and the KernelBench copy .kbh/kernelbench (scripts/publish.sh --kernelbench DIR),
# both carried to the node. Everything comes back as $OUT/gpu-proof-<mode>.tgz; scripts/gpu-results.sh reports on it.
#   OUT=$OUT BUDGET_S=540 scripts/gpu-proof.sh core                                  on the GPU node
#   DEVICE=cpu KBH=scripts/kbh KBH_PYTHON=/usr/bin/python3 scripts/gpu-proof.sh core   the plumbing, on a CPU
set -uo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-}
[[ "$MODE" == core || "$MODE" == refs || "$MODE" == checks ]] || { echo "usage: $0 core|refs|checks" >&2; exit 2; }
final=${OUT:-.kbh/gpu-out}
export OUT
OUT=$(mktemp -d)/gpu-proof-$MODE
mkdir -p "$OUT" "$final"
export KBH_CACHE=${KBH_CACHE:-$PWD/.kbh/cache}
export DEVICE=${DEVICE:-cuda}
BUDGET=${BUDGET_S:-540}
start=$SECONDS
left() { echo $((BUDGET - (SECONDS - start))); }
stamp() { echo "=== $* (t=$((SECONDS - start)) s, $(date -u +%T))"; }
# Runs a part boxed to N seconds, or to what is left of the budget less 25 s for packing; skipped when under 20 s
# (never `timeout 0`, which means no limit at all).
part() {
  local want=$1 name=$2; shift 2
  local l=$(( $(left) - 25 ))
  local s=$(( want < l ? want : l ))
  if [ "$s" -lt 20 ]; then echo "skipped $name: ${s} s left in the budget" | tee "$OUT/$name.table"; return; fi
  JUDGE_SECONDS=$s "$@" >"$OUT/$name.table" 2>&1
  tail -1 "$OUT/$name.table"
}

{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,uuid,driver_version,memory.total --format=csv,noheader 2>/dev/null
  nvcc --version 2>/dev/null | tail -1
  ${KBH_PYTHON:-python3} -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  echo "cores $(nproc)"; ${KBH:-.publish/kbh} --version; } >"$OUT/environment.txt" 2>&1
cat "$OUT/environment.txt"

if [ "$MODE" = core ]; then
  stamp "A: every CUDA candidate built, and the agent loop"
  timeout "$(( $(left) / 2 ))" scripts/gpu-scoring.sh prebuild >"$OUT/prebuild.log" 2>&1 &
  builds=$!
  AGENT_WORK=$OUT/agent-gpu timeout "$(( $(left) - 25 ))" scripts/gpu-agent.sh >"$OUT/agent.log" 2>&1
  echo "agent loop: exit $?"
  wait $builds
  tail -1 "$OUT/prebuild.log"
  stamp "B: kernels, hacks, two workers on one GPU (alone on the GPU)"
  SKIP_PREBUILD=1 part 200 kernels scripts/gpu-scoring.sh kernels
  SKIP_PREBUILD=1 part 150 hacks scripts/gpu-scoring.sh hacks
  SKIP_PREBUILD=1 part 200 multi scripts/gpu-scoring.sh multi
  grep -E "^(PASS|FAIL|ALL PASS|[0-9]+ FAILED)" "$OUT/agent.log" | tail -25
elif [ "$MODE" = checks ]; then
  stamp "GPU reward hacks"
  part "${HACKS_S:-240}" hacks scripts/gpu-scoring.sh hacks
  stamp "eager and torch.compile baselines"
  part 100000 compile scripts/gpu-scoring.sh compile ${COMPILE_PICKS:-}
else
  stamp "references as candidates"
  for pick in ${REFS:-3 2 1}; do  # LEVEL or LEVEL:FIRST-LAST; each part gets what is left of the budget
    level=${pick%%:*}; range=1-100000; [[ "$pick" == *:* ]] && range=${pick#*:}
    part 100000 "refs-L$level-$range" scripts/gpu-scoring.sh refs "$level" "${range%-*}" "${range#*-}"
  done
fi

stamp "done"
tar czf "$final/gpu-proof-$MODE.tgz" -C "$(dirname "$OUT")" "gpu-proof-$MODE"
ls -la "$final"
