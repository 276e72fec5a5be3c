#!/usr/bin/env bash
# GPU proof of the agent loop (issue 5): a scripted server answering like DeepSeek-R1 (scripts/gpu/scripted_r1_server.py)
# drives `kbh run` with load_inline kernels on real KernelBench problems. L1/19 ReLU: a kernel that does not compile,
# then a wrong one, then a correct one; L2/12 Gemm_Multiply_LeakyReLU: a correct fused kernel at once.
# Checks the verdicts, that each feedback prompt carries the previous verdict's cause and that no reasoning went back.
#
#   OUT=$OUT scripts/gpu-agent.sh        on the GPU node (no dotnet: .publish/kbh and .kbh/kernelbench carried)
#   DEVICE=cpu KBH=scripts/kbh KBH_PYTHON=/usr/bin/python3 scripts/gpu-agent.sh
#                                        the same flow on a CPU machine, with the repo's sample problems and C++ kernels
# Results: $OUT/agent-gpu.tgz (run folders with reports, server log, console log); PASS/FAIL lines and a table printed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/.kbh/gpu-out}
KBH=${KBH:-$ROOT/.publish/kbh}
PY=${KBH_PYTHON:-python3}
export KBH_PYTHON=$PY
export KBH_CACHE=${KBH_CACHE:-$ROOT/.kbh/cache}  # the same for prebuild and kbh, so judging finds the builds
DEVICE=${DEVICE:-cuda}
PORT=${PORT:-18765}
export KBH_SCRIPTED_KEY=scripted-dummy-key
WORK=${AGENT_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/kbh-agent-XXXXXX")/agent-gpu}  # AGENT_WORK: keep it there, unpacked
mkdir -p "$OUT" "$KBH_CACHE" "$WORK"
exec > >(tee "$WORK/console.log") 2>&1
if [ "$DEVICE" = cpu ]; then
  KB=$ROOT/problems; BACKEND=cpp; MODE=cpu; LEVELS="1:1 2:1"
else
  KB=${KBH_KERNELBENCH:-$ROOT/.kbh/kernelbench}; BACKEND=cuda; MODE=cuda; LEVELS="1:19 2:12"
  export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-$("$PY" -c 'import torch; print("%d.%d" % torch.cuda.get_device_capability())')}
fi
[ -e "$KBH" ] || { echo "no harness at $KBH (publish it, or KBH=scripts/kbh)"; exit 2; }
[ -d "$KB" ] || { echo "no KernelBench at $KB (set KBH_KERNELBENCH)"; exit 2; }
{ date -u +%FT%TZ; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null
  "$PY" -c 'import torch, sys; print("python", sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)'
  "$KBH" --version; } >"$WORK/environment.txt" 2>&1
cat "$WORK/environment.txt"

"$PY" scripts/gpu/make_agent_script.py "$MODE" "$WORK" || exit 1
"$PY" scripts/gpu/scripted_r1_server.py --script "$WORK/agent-script.json" --port "$PORT" --log "$WORK/requests.jsonl" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT

# Builds the compilable answers at once through the worker's build cache (as scripts/gpu-scoring.sh does), so the loop
# waits for no compiler; the broken one is left for the loop to fail on.
started=$SECONDS
builds=()
for f in "$WORK"/prebuild/*.py; do
  ( MAX_JOBS=${MAX_JOBS:-4} timeout 400 "$PY" -c '
import os, runpy, sys
sys.path.insert(0, sys.argv[2])
import kbh_build_cache
kbh_build_cache.install(os.path.join(os.environ["KBH_CACHE"], "builds"))
runpy.run_path(sys.argv[1])' "$f" "$ROOT/harness/worker" >"$f.log" 2>&1 && echo "prebuilt $(basename "$f")" \
    || echo "prebuild failed: $(basename "$f") (see $f.log)" ) &
  builds+=($!)
done
wait "${builds[@]}"
echo "prebuild took $((SECONDS - started)) s"

# problems: ids apply to every listed level, so each level gets its own run (L1/12 and L2/19 are not wanted).
for pair in $LEVELS; do
  level=${pair%%:*}; id=${pair##*:}
  cat >"$WORK/run-L$level.yaml" <<EOF
kernelbench: $KB
problems: { level: $level, ids: [$id] }
model:
  provider: openai
  base_url: "http://127.0.0.1:$PORT/v1"
  name: deepseek-r1-scripted
  api_key_env: KBH_SCRIPTED_KEY
  request_timeout_s: 120
  idle_timeout_s: 60
  max_retries: 1
budget: { attempts: 4 }
strategy: sequential
stop_at_speedup: 0
device: $DEVICE
out: $WORK/runs/L$level-$id
eval:
  correctness_trials: 5
  perf_trials: 100
  timeout_s: 300
  backend: $BACKEND
EOF
  started=$SECONDS
  echo "=== kbh run L$level/$id ($(date -u +%T))"
  "$KBH" run --config "$WORK/run-L$level.yaml" || echo "kbh run exited with $?"
  echo "kbh run L$level/$id took $((SECONDS - started)) s"
  "$KBH" report "$WORK/runs/L$level-$id" >"$WORK/report-L$level.log" 2>&1 || echo "kbh report exited with $?"
done
kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null

"$PY" - "$WORK" <<'EOF'
import glob, json, os, sys
work = sys.argv[1]
exp = json.load(open(os.path.join(work, "expected.json")))
expected, broken = exp["expected"], exp["broken_identifier"]
script = json.load(open(os.path.join(work, "agent-script.json")))
attempts = [json.loads(l) for p in sorted(glob.glob(os.path.join(work, "runs", "*", "attempts.jsonl")))
            for l in open(p) if l.strip()]
requests = [json.loads(l) for l in open(os.path.join(work, "requests.jsonl")) if l.strip()]
fails = 0
def check(ok, what):
    global fails
    fails += 0 if ok else 1
    print(("PASS " if ok else "FAIL ") + what)
def text(c):
    return "".join(p.get("text", "") for p in c) if isinstance(c, list) else (c or "")
for key, want in expected.items():
    got = [a["status"] for a in sorted((a for a in attempts if a["problem_key"] == key), key=lambda a: (a["chain"], a["index"]))]
    check(got == want, f"{key}: verdicts {got} (want {want})")
    mine = sorted((a for a in attempts if a["problem_key"] == key), key=lambda a: (a["chain"], a["index"]))
    for a, said in zip(mine, script[key]):  # both styles (reasoning_content deltas, inline <think>) split off the answer
        check((a.get("reasoning") or "").strip() == said["reasoning"] and "<think>" not in (a.get("response") or ""),
              f"{key} attempt {a['index'] + 1}: reasoning ({said['style']}) recorded apart from the answer")
    reqs = [r["body"] for r in requests if r["problem"] == key]
    check(len(reqs) == len(want), f"{key}: {len(reqs)} model requests (want {len(want)})")
    for n, body in enumerate(reqs):
        msgs = body.get("messages") or []
        sent_back = [m for m in msgs if m.get("role") == "assistant"
                     and (m.get("reasoning_content") or m.get("reasoning") or "<think>" in text(m.get("content"))
                          or "</think>" in text(m.get("content")))]
        said = [a["reasoning"] for a in script[key][:n]]
        sent_back += [m for m in msgs if any(r in text(m.get("content")) for r in said)]
        check(not sent_back, f"{key} request {n + 1}: no reasoning sent back ({len(msgs)} messages, stream={body.get('stream')})")
        if n == 0:
            continue
        last = text(msgs[-1].get("content")) if msgs else ""
        prev = want[n - 1]
        cause = {"compile_error": broken, "incorrect": "does not match the reference"}.get(prev, "")
        check(msgs[-1].get("role") == "user" and f"attempt {n}" in last and cause in last,
              f"{key} request {n + 1}: feedback carries attempt {n}'s {prev} cause ({cause!r})")
print(f"\n{'problem':<10} {'#':>2} {'status':<14} {'speedup':>8} {'ms':>9} {'ref ms':>9} {'charged s':>9}  reasoning chars")
for a in attempts:
    v = a.get("verdict") or {}
    rt, ref = (v.get("runtime") or {}).get("mean_ms"), (v.get("ref_runtime") or {}).get("mean_ms")
    f = lambda x, d: "" if x is None else f"{x:.{d}f}"
    print(f"{a['problem_key']:<10} {a['index'] + 1:>2} {a['status']:<14} {f(v.get('speedup'), 2):>8} {f(rt, 3):>9} "
          f"{f(ref, 3):>9} {a.get('charged_seconds', 0):>9.1f}  {len(a.get('reasoning') or '')}")
print(f"\n{'ALL PASS' if fails == 0 else f'{fails} FAILED'}: {len(attempts)} attempts, {len(requests)} requests")
open(os.path.join(work, "checks.txt"), "w").write("PASS\n" if fails == 0 else f"FAIL {fails}\n")
sys.exit(1 if fails else 0)
EOF
status=$?
if [ -z "${AGENT_WORK:-}" ]; then
  tar czf "$OUT/agent-gpu.tgz" -C "$(dirname "$WORK")" agent-gpu
  echo "packed $OUT/agent-gpu.tgz"
fi
exit $status
