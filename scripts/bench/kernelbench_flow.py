"""Mode (a) of scripts/bench-throughput.sh: KernelBench's own way of judging a folder of candidates, rebuilt here from
its documented flow (no harness code): a compile phase that builds every candidate's extensions in parallel, each into
its own build folder (one process per candidate), then an eval phase that judges each candidate in a fresh Python
process, serially: seed, build reference and candidate from get_init_inputs(), 5 correctness trials (inputs from
get_inputs() under per-trial seeds, made on the CPU and moved to the GPU), then 3 warm-up runs and 100 CUDA-event-timed
trials; the reference is timed the same way in that process, so the speedup is comparable with the harness's.

    python3 kernelbench_flow.py build CANDIDATE BUILD_DIR           -> one JSON line {seconds, ok, error}
    python3 kernelbench_flow.py eval CANDIDATE KERNELBENCH BUILD_DIR -> one JSON line {status, speedup, ...}
(the problem is found from the candidate's name, level_L_problem_P_sample_S_kernel.py)
"""
import json
import os
import random
import sys
import time
import traceback
import types

START = time.perf_counter()


def load_source(name, path):
    module = types.ModuleType(name)
    module.__file__ = path
    sys.modules[name] = module
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), module.__dict__)
    return module


def seed_all(seed):
    import torch
    torch.manual_seed(seed)
    random.seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def build(candidate, build_dir):
    os.environ["TORCH_EXTENSIONS_DIR"] = build_dir
    started = time.perf_counter()
    try:
        load_source("candidate", candidate)
        return {"ok": True, "seconds": time.perf_counter() - started}
    except Exception as e:
        return {"ok": False, "seconds": time.perf_counter() - started, "error": f"{type(e).__name__}: {e}"[-2000:]}


def timed(model, inputs, trials, device):
    import torch
    with torch.no_grad():
        for _ in range(3):
            model(*inputs)
        torch.cuda.synchronize(device)
        times = []
        for _ in range(trials):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            model(*inputs)
            end.record()
            torch.cuda.synchronize(device)
            times.append(start.elapsed_time(end))
    return sum(times) / len(times)


def problem_path(candidate, kb):
    import re
    level, pid = re.match(r"level_(\d+)_problem_(\d+)_sample_\d+_kernel\.py$", os.path.basename(candidate)).groups()
    folder = os.path.join(kb, "KernelBench", f"level{level}")
    return os.path.join(folder, next(f for f in os.listdir(folder) if f.startswith(pid + "_") and f.endswith(".py")))


def evaluate(candidate, problem, build_dir, trials=5, perf_trials=100, seed=42, atol=1e-4, rtol=1e-4):
    import torch
    os.environ["TORCH_EXTENSIONS_DIR"] = build_dir
    device = torch.device("cuda", 0)
    torch.cuda.set_device(device)
    ref = load_source("reference", problem)
    init = ref.get_init_inputs()
    seed_all(seed)
    model = ref.Model(*init).to(device)
    started = time.perf_counter()
    try:
        cand = load_source("candidate", candidate)
    except Exception as e:
        return {"status": "compile_error", "reason": f"{type(e).__name__}: {e}"[-500:]}
    load_seconds = time.perf_counter() - started
    try:
        seed_all(seed)
        new = cand.ModelNew(*init).to(device)
        torch.manual_seed(seed)
        seeds = [int(torch.randint(0, 2 ** 32 - 1, (1,)).item()) for _ in range(trials)]
        with torch.no_grad():
            for t, s in enumerate(seeds):
                seed_all(s)
                inputs = [x.to(device) if isinstance(x, torch.Tensor) else x for x in ref.get_inputs()]
                expected = model(*inputs)
                seed_all(s)
                got = new(*inputs)
                torch.cuda.synchronize(device)
                if got.shape != expected.shape or not torch.allclose(got, expected, atol=atol, rtol=rtol):
                    diff = (got - expected).abs().max().item() if got.shape == expected.shape else float("nan")
                    return {"status": "incorrect", "failed_trial": t, "max_abs_diff": diff, "load_seconds": load_seconds}
        runtime = timed(new, inputs, perf_trials, device)
        ref_runtime = timed(model, inputs, perf_trials, device)
        return {"status": "correct", "runtime_ms": runtime, "ref_runtime_ms": ref_runtime,
                "speedup": ref_runtime / runtime, "load_seconds": load_seconds}
    except Exception as e:
        return {"status": "runtime_error", "reason": f"{type(e).__name__}: {e}"[-500:]}


def main(argv):
    if len(argv) >= 4 and argv[1] == "build":
        result = build(argv[2], argv[3])
    elif len(argv) >= 5 and argv[1] == "eval":
        result = evaluate(argv[2], problem_path(argv[2], argv[3]), argv[4])
    else:
        sys.exit(__doc__)
    result["process_seconds"] = time.perf_counter() - START
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv)
