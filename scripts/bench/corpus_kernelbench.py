"""KernelBench's own evaluator on the corpus corpus_select.py wrote, the way its eval_from_generations flow runs it.

    python3 corpus_kernelbench.py build WORK KB_SRC [--jobs N] [--timeout S] [--deadline-s S] [--warm-device cuda:0]
    python3 corpus_kernelbench.py eval  WORK KB_SRC [--timeout S] [--deadline-s S] [--device cuda:0] [--order 3,2]
                                        [--out kb.jsonl] [--again]
    python3 corpus_kernelbench.py judged WORK

build: KernelBench's build_compile_cache for every kernel, each into its own build folder (WORK/kb-build/L_P_S), N
       spawned processes at once, as its batch_compile does with build_cache on (its flow's way to keep compiles out
       of the serial GPU phase); one JSON line per kernel in WORK/kb-build.jsonl. With --warm-device, each kernel is
       then constructed and called once there, in KernelBench's namespace and build folder, so that extensions
       compiled in a constructor or a first call (which build_compile_cache does not reach) are built in parallel too;
       the evaluation's verdicts do not change, only how long its serial phase takes.
eval:  one kernel at a time, each in a freshly spawned process (a Pool(1) with a time limit, as its
       eval_from_generations does), calling eval_kernel_against_ref with its script's defaults: 5 correctness trials,
       100 timed trials, cuda_event, fp32 (its tolerance 1e-4), backend cuda, measure_performance on, the build folder
       of the build step; its reference is timed in that same process after the candidate (its excessive-speedup
       check, on by default), and the speedup is its ref_runtime / runtime (means). One JSON line per kernel in
       WORK/kb.jsonl, written as each ends. Kernels already in the file are skipped (a rerun goes on where it stopped).
       --again --out repeat/kb.jsonl measures the kernels kb.jsonl has again, for the table's run-to-run spread.
judged: WORK/judged/ holds a copy of each candidate KernelBench's evaluator has a line for in WORK/kb.jsonl, so kbh
       judges the same kernels in a call whose deadline stopped KernelBench's part early.
Build and eval stop starting kernels once --deadline-s has passed since they began. Every line names the stand-ins used for
packages this Python lacks (kb_loader.py).
"""
import argparse
import json
import multiprocessing as mp
import os
import shutil
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_select  # noqa: E402


def kernels(work):
    """The chosen kernels, in selection order: dicts with level, problem, sample, name, candidate, reference."""
    out = []
    with open(os.path.join(work, "selection.jsonl"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if not e.get("chosen"):
                continue
            name = corpus_select.candidate_name(e)
            out.append({**e, "name": name, "candidate": os.path.join(work, "candidates", name),
                        "reference_path": os.path.join(work, "problems", "KernelBench", f"level{e['level']}",
                                                       e["problem_file"])})
    return out


def build_dir(work, k):
    return os.path.join(work, "kb-build", f"{k['level']}_{k['problem']}_{k['sample']}")


def levels_first(todo, order):
    """The kernels with the levels named in order ("3,2") first, in that order; within a level (and for levels not
    named, after them) the selection's order: a call that cannot judge every kernel covers those levels."""
    first = [int(x) for x in (order or "").split(",") if x.strip()]
    return sorted(todo, key=lambda k: first.index(k["level"]) if k["level"] in first else len(first))


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# -- in the spawned processes -----------------------------------------------------------------------------------------
def _build_one(kb_src, candidate, folder, reference=None, warm_device=None):
    import kb_loader
    started = time.perf_counter()
    kb_eval, _, stubbed = kb_loader.load(kb_src)
    os.makedirs(folder, exist_ok=True)
    source = _read(candidate)
    ok, _, error = kb_eval.build_compile_cache(source, verbose=False, build_dir=folder)
    line = {"ok": bool(ok), "error": (str(error) if error else None), "seconds": time.perf_counter() - started,
            "stubbed": stubbed}
    if ok and warm_device:
        line.update(_warm(kb_eval, source, _read(reference), folder, warm_device))
    return line


def _warm(kb_eval, candidate_src, reference_src, folder, device):
    """The kernel constructed and called once, as eval_kernel_against_ref loads it (its namespace, its build folder),
    so that extensions compiled in a constructor or a first call (load_inline inside __init__ or forward: 15-88 s
    each on an H200, session 21) are built here, in parallel, and its serial evaluation loads them. Nothing of this
    is a verdict: a failure is recorded (warm_error) and left for the evaluation to meet as its own."""
    import torch
    started = time.perf_counter()
    try:
        device = torch.device(device)
        context = {}
        _, get_init_inputs, get_inputs = kb_eval.load_original_model_and_inputs(reference_src, context)
        kb_eval.set_seed(42)
        init = [kb_eval._process_input_tensor(x, device, "cuda", torch.float32) for x in get_init_inputs()]
        model_new = kb_eval.load_custom_model(candidate_src, context, folder)
        with torch.no_grad():
            model = model_new(*init).to(device)
            model(*[kb_eval._process_input_tensor(x, device, "cuda", torch.float32) for x in get_inputs()])
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        return {"warm_seconds": round(time.perf_counter() - started, 2), "warm_error": None}
    except Exception as e:  # (KernelBench's evaluation meets it again, and reports it in its own words)
        return {"warm_seconds": round(time.perf_counter() - started, 2),
                "warm_error": f"{type(e).__name__}: {str(e)[:300]}"}


def _eval_one(kb_src, candidate, reference, folder, device):
    import torch
    import kb_loader
    kb_eval, _, stubbed = kb_loader.load(kb_src)
    result = kb_eval.eval_kernel_against_ref(
        original_model_src=_read(reference), custom_model_src=_read(candidate), measure_performance=True,
        timing_method="cuda_event", verbose=False, num_correct_trials=5, num_perf_trials=100, build_dir=folder,
        device=torch.device(device), backend="cuda", precision=kb_eval.get_torch_dtype_from_string("fp32"))
    if result is None:  # its lock-file case: it asks for a retry
        return {"result": None, "stubbed": stubbed}
    fields = result.model_dump() if hasattr(result, "model_dump") else dict(result)
    fields["metadata"] = kb_eval.check_metadata_serializable_all_types(fields.get("metadata") or {})
    return {"result": fields, "stubbed": stubbed, "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(torch.device(device))}


# -- the driver -------------------------------------------------------------------------------------------------------
def verdict(line):
    """KernelBench's outcome of one kernel as (status, speedup, error text)."""
    r = line.get("result")
    if line.get("error"):
        return "harness_error" if not line.get("timeout") else "timeout", None, line["error"]
    if r is None:
        return "retry", None, "eval_kernel_against_ref returned None (its lock-file case: retry)"
    meta = r.get("metadata") or {}
    error = "; ".join(f"{k}: {str(v)[:300]}" for k, v in meta.items()
                      if k in ("compilation_error", "runtime_error", "correctness_issue", "cuda_error", "other_error",
                               "error", "error_during_performance", "max_difference"))
    if not r.get("compiled"):
        return "compile_error", None, error
    if not r.get("correctness"):
        return ("runtime_error" if "runtime_error" in meta else "incorrect"), None, error
    runtime, ref = r.get("runtime") or -1.0, r.get("ref_runtime") or -1.0
    return "correct", (ref / runtime if runtime > 0 and ref > 0 else None), error


def _done(path, built_only=False):
    """Kernels the file already has a line for (for builds: a successful one; a failed build is tried again)."""
    names = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    e = json.loads(line)
                    if not built_only or e.get("ok"):
                        names.add(e["name"])
                except (ValueError, KeyError):
                    pass
    return names


def _log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run_build(a):
    out = os.path.join(a.work, "kb-build.jsonl")
    todo = [k for k in kernels(a.work) if k["name"] not in _done(out, built_only=True)]
    _log(f"KernelBench build: {len(todo)} kernel(s), {a.jobs} at once")
    started = time.monotonic()
    ctx = mp.get_context("spawn")
    with ctx.Pool(a.jobs) as pool, open(out, "a", encoding="utf-8") as f:
        pending = [(k, pool.apply_async(_build_one, (a.kb_src, k["candidate"], build_dir(a.work, k),
                                                     k["reference_path"], a.warm_device)))
                   for k in todo]
        for k, job in pending:
            left = a.timeout - (time.monotonic() - started)
            try:
                line = job.get(timeout=max(1.0, min(left, a.deadline_s - (time.monotonic() - started))))
            except mp.TimeoutError:
                line = {"ok": False, "error": "build timed out (or the deadline passed)", "timeout": True}
            except Exception as e:
                line = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            f.write(json.dumps({"name": k["name"], **line}) + "\n")
            f.flush()
            _log(f"built {k['name']}: {'ok' if line.get('ok') else line.get('error', '')[:200]}"
                 + (f", constructed and called once in {line['warm_seconds']} s" if "warm_seconds" in line else "")
                 + (f" ({line['warm_error'][:160]})" if line.get("warm_error") else ""))
    return 0


def run_eval(a):
    out = os.path.join(a.work, a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    todo = [k for k in kernels(a.work) if k["name"] not in _done(out)]
    if a.again:  # a second measurement: only what the first judged, in the same order
        first = _done(os.path.join(a.work, "kb.jsonl"))
        todo = [k for k in todo if k["name"] in first]
    todo = levels_first(todo, a.order)
    _log(f"KernelBench eval: {len(todo)} kernel(s), one at a time, {a.timeout:g} s each at most")
    started = time.monotonic()
    ctx = mp.get_context("spawn")
    for i, k in enumerate(todo):
        if time.monotonic() - started > a.deadline_s:
            _log(f"deadline ({a.deadline_s:g} s) passed: {len(todo) - i} kernel(s) left for a rerun")
            break
        t0 = time.monotonic()
        line = {"name": k["name"], "level": k["level"], "problem": k["problem"], "sample": k["sample"]}
        with ctx.Pool(1) as pool:
            job = pool.apply_async(_eval_one, (a.kb_src, k["candidate"], k["reference_path"], build_dir(a.work, k),
                                               a.device))
            try:
                line.update(job.get(timeout=a.timeout))
            except mp.TimeoutError:
                line.update(error=f"evaluation timed out after {a.timeout:g} s", timeout=True)
            except Exception as e:
                line.update(error=f"{type(e).__name__}: {e}", trace=traceback.format_exc()[-1500:])
        line["wall_s"] = round(time.monotonic() - t0, 2)
        status, speedup, error = verdict(line)
        line.update(status=status, speedup=speedup, error_text=error)
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, default=str) + "\n")
        _log(f"[{i + 1}/{len(todo)}] {k['name']}: {status}"
             + (f", speedup {speedup:.2f}" if speedup else "") + (f" ({error[:160]})" if error and status != "correct"
                                                                 else "") + f", {line['wall_s']} s")
    return 0


def _kbh_done(path):
    """Candidates a kbh verdict file (kbh eval --format json lines) already has a line for."""
    names = set()
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    names.add(os.path.basename(str(json.loads(line).get("candidate") or "")))
                except (ValueError, AttributeError):
                    pass
    return names


def run_judged(work, without=None):
    """WORK/judged: the candidates KernelBench's evaluator judged (kb.jsonl), made anew each time; without those a
    kbh verdict file already holds (a later call on the same WORK judges only what is new)."""
    judged = os.path.join(work, "judged")
    names = _done(os.path.join(work, "kb.jsonl")) - _kbh_done(without)
    shutil.rmtree(judged, ignore_errors=True)
    os.makedirs(judged)
    for k in kernels(work):
        if k["name"] in names:
            shutil.copyfile(k["candidate"], os.path.join(judged, k["name"]))
    left_out = f" (without {os.path.basename(without)}'s)" if without else ""
    _log(f"{len(os.listdir(judged))} kernel(s) KernelBench's evaluator judged{left_out}, for kbh: {judged}")
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("step", choices=("build", "eval", "judged"))
    p.add_argument("work")
    p.add_argument("kb_src", nargs="?")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--deadline-s", type=float, default=float("inf"))
    p.add_argument("--device", default="cuda:0")
    p.add_argument("--order", default="", help="eval: levels to judge first, e.g. 3,2 (the rest keep their order)")
    p.add_argument("--out", default="kb.jsonl", help="eval: the result file in WORK (default kb.jsonl)")
    p.add_argument("--without", default=None,
                   help="judged: leave out the candidates this kbh verdict file (JSON lines) already has")
    p.add_argument("--again", action="store_true",
                   help="eval: only the kernels kb.jsonl has a line for (a second measurement, into --out)")
    p.add_argument("--warm-device", default=None,
                   help="build: also construct and call each kernel once on this device, as its evaluation loads it "
                        "(extensions compiled in a constructor or a first call are then built in parallel)")
    a = p.parse_args(argv)
    a.timeout = a.timeout or (900.0 if a.step == "build" else 180.0)  # eval: its script's default time limit
    if not os.path.exists(os.path.join(a.work, "selection.jsonl")):
        print(f"corpus_kernelbench: {a.work}/selection.jsonl is missing: run corpus_select.py first", file=sys.stderr)
        return 2
    if a.step == "judged":
        return run_judged(a.work, a.without)
    if not a.kb_src:
        p.error(f"{a.step} needs KB_SRC (KernelBench's source tree)")
    import kb_loader
    try:  # fail here, once, with the reason, rather than in every spawned process
        kb_loader.load(a.kb_src)
    except kb_loader.KernelBenchSourceError as e:
        print(f"corpus_kernelbench: {e}", file=sys.stderr)
        return 2
    return run_build(a) if a.step == "build" else run_eval(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
