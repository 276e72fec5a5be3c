"""Picks the real-kernel corpus for scripts/gpu-corpus.sh and writes it out as candidate files.

    python3 corpus_select.py SOURCE KERNELBENCH WORK [--per-level N] [--levels 1,2,3] [--reference own|checkout]
                             [--only 1/10,3/*]

SOURCE is CUDA-L1's published file (optimized_cuda_code/<gpu>.json: one JSON object a line with level_id, task_id,
ref_code, custom_code, score_default; or optimized_cuda_code/codes/<gpu>.json: {"1": [{task_id, ref_code,
custom_code, score}], ...}) or a folder of KernelBench-format samples (level_L_problem_P_sample_S_kernel.py).
Selection is deterministic: per level, the kernels sorted by problem id (then sample), the first N usable ones.
The reference each kernel is judged against (the same for KernelBench's evaluator and kbh):
  own       the source's reference code (CUDA-L1 ships it: KernelBench's problems as they were when CUDA-L1 ran,
            other sizes than KernelBench's current ones); the default for CUDA-L1 files
  checkout  the KernelBench checkout's problem file; a kernel whose shipped reference differs from it is skipped,
            with that reason (the default for sample folders, which ship no reference)
Writes WORK/candidates/level_L_problem_P_sample_S_kernel.py, WORK/problems/KernelBench/levelL/P_Name.py (the
references, in a KernelBench-shaped folder for kbh eval --kernelbench) and WORK/selection.jsonl (one line per kernel
looked at: chosen or skipped, and why). Prints one summary line.
"""
import argparse
import json
import os
import re
import sys

SAMPLE = re.compile(r"level_(\d+)_problem_(\d+)_sample_(\d+)_kernel\.py$")


class CorpusError(Exception):
    """The source cannot be read as a corpus; the message says why."""


def read_source(path):
    """Every kernel of the source as dicts: level, problem, sample, code (None when the source has none),
    ref_code (None when the source ships none), published_speedup (None when unknown), origin."""
    if os.path.isdir(path):
        return _read_folder(path)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise CorpusError(f"cannot read {path}: {e}")
    stripped = text.lstrip()
    if stripped.startswith("{") and not stripped.startswith('{"level_id"'):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict) and all(re.fullmatch(r"\d+", k) for k in whole):
            return _read_by_level(whole, path)
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            raise CorpusError(f"{path}:{n}: not a JSON line ({e.msg}); expected CUDA-L1's format (one object a line "
                              "with level_id, task_id, ref_code, custom_code)")
        if not isinstance(r, dict) or "level_id" not in r or "task_id" not in r:
            raise CorpusError(f"{path}:{n}: expected an object with level_id and task_id")
        rows.append({"level": _int(r["level_id"], path, n), "problem": _int(r["task_id"], path, n), "sample": 0,
                     "code": r.get("custom_code") or None, "ref_code": r.get("ref_code") or None,
                     "published_speedup": _float(r.get("score_default")), "origin": f"{path}:{n}"})
    return rows


def _read_by_level(whole, path):
    rows = []
    for level, entries in whole.items():
        if not isinstance(entries, list):
            raise CorpusError(f"{path}: level {level} holds a {type(entries).__name__}, expected a list")
        for i, r in enumerate(entries):
            where = f"{path}: level {level} entry {i}"
            if not isinstance(r, dict) or "task_id" not in r:
                raise CorpusError(f"{where}: expected an object with task_id")
            rows.append({"level": int(level), "problem": _int(r["task_id"], where, None), "sample": 0,
                         "code": r.get("custom_code") or None, "ref_code": r.get("ref_code") or None,
                         "published_speedup": _float(r.get("score")), "origin": where})
    return rows


def _read_folder(path):
    rows = []
    for name in sorted(os.listdir(path)):
        m = SAMPLE.match(name)
        if not m:
            continue
        with open(os.path.join(path, name), encoding="utf-8", errors="replace") as f:
            code = f.read()
        rows.append({"level": int(m[1]), "problem": int(m[2]), "sample": int(m[3]), "code": code or None,
                     "ref_code": None, "published_speedup": None, "origin": os.path.join(path, name)})
    if not rows:
        raise CorpusError(f"{path} holds no level_L_problem_P_sample_S_kernel.py files")
    return rows


def _int(value, where, line):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CorpusError(f"{where}{':' + str(line) if line else ''}: {value!r} is not an integer id")


def _float(value):
    try:
        x = float(value)
        return x if x == x else None
    except (TypeError, ValueError):
        return None


def checkout_problems(kernelbench):
    """{(level, id): path} of the checkout (the folder that holds KernelBench/, or KernelBench/ itself)."""
    root = os.path.join(kernelbench, "KernelBench") if os.path.isdir(os.path.join(kernelbench, "KernelBench")) \
        else kernelbench
    found = {}
    for level in range(1, 10):
        folder = os.path.join(root, f"level{level}")
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            m = re.match(r"(\d+)_.+\.py$", name)
            if m:
                found[(level, int(m[1]))] = os.path.join(folder, name)
    if not found:
        raise CorpusError(f"{kernelbench} holds no KernelBench/levelN/ID_Name.py problems")
    return found


def select(rows, problems, per_level, levels, reference):
    """(chosen, looked_at): chosen kernels with their reference code and problem file name; every kernel looked at,
    with why it was skipped."""
    chosen, log = [], []
    for level in levels:
        taken = 0
        for r in sorted((r for r in rows if r["level"] == level), key=lambda r: (r["problem"], r["sample"])):
            if taken >= per_level:
                break
            path = problems.get((level, r["problem"]))
            entry = {k: r[k] for k in ("level", "problem", "sample", "published_speedup", "origin")}
            why = _skip_reason(r, path, reference)
            if why:
                log.append({**entry, "chosen": False, "why": why})
                continue
            name = os.path.basename(path) if path else f"{r['problem']}_Problem.py"
            if reference == "checkout":
                with open(path, encoding="utf-8") as f:
                    ref_code = f.read()
            else:
                ref_code = r["ref_code"]
            chosen.append({**r, "ref_code": ref_code, "problem_file": name})
            log.append({**entry, "chosen": True, "reference": reference, "problem_file": name,
                        "same_as_checkout": _same(r["ref_code"], path)})
            taken += 1
    return chosen, log


def only(chosen, log, spec):
    """The selection cut to the problems spec names ("1/10,3/*"): the same kernels a full selection chooses, so a
    partial call's verdicts line up with a full one's."""
    if not spec.strip():
        return chosen, log
    wanted = set()
    for item in spec.split(","):
        level, _, problem = item.strip().partition("/")
        if not level.isdigit() or not (problem == "*" or problem.isdigit()):
            raise ValueError(f"--only: {item.strip()!r} is not L/P or L/* (e.g. 1/10 or 3/*)")
        wanted.add((int(level), problem if problem == "*" else int(problem)))
    keep = lambda e: (e["level"], e["problem"]) in wanted or (e["level"], "*") in wanted  # noqa: E731
    return ([k for k in chosen if keep(k)],
            [e if keep(e) or not e["chosen"] else {**e, "chosen": False, "why": "not named by --only"} for e in log])


def _skip_reason(r, path, reference):
    if not r["code"]:
        return "the source has no kernel for it (CUDA-L1: none faster than the reference)"
    if "class ModelNew" not in r["code"]:
        return "the kernel defines no class ModelNew"
    if reference == "own" and not r["ref_code"]:
        return "the source ships no reference code (use --reference checkout)"
    if reference == "checkout":
        if not path:
            return "no problem with this id in the checkout"
        if r["ref_code"] and not _same(r["ref_code"], path):
            return "its reference differs from the checkout's problem file"
    return None


def _same(ref_code, path):
    if not ref_code or not path:
        return None
    with open(path, encoding="utf-8") as f:
        return f.read().strip() == ref_code.strip()


def write(chosen, log, work):
    cands = os.path.join(work, "candidates")
    os.makedirs(cands, exist_ok=True)
    for k in chosen:
        folder = os.path.join(work, "problems", "KernelBench", f"level{k['level']}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, k["problem_file"]), "w", encoding="utf-8") as f:
            f.write(k["ref_code"])
        with open(os.path.join(cands, candidate_name(k)), "w", encoding="utf-8") as f:
            f.write(k["code"])
    with open(os.path.join(work, "selection.jsonl"), "w", encoding="utf-8") as f:
        for entry in log:
            f.write(json.dumps(entry) + "\n")


def candidate_name(k):
    return f"level_{k['level']}_problem_{k['problem']}_sample_{k['sample']}_kernel.py"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("source")
    p.add_argument("kernelbench")
    p.add_argument("work")
    p.add_argument("--per-level", type=int, default=20)
    p.add_argument("--levels", default="1,2,3")
    p.add_argument("--reference", choices=("own", "checkout"), default=None)
    p.add_argument("--only", default="", help="of the selection, only these problems: L/P or L/* entries, "
                                              "e.g. 1/10,3/* (a call that cannot judge all of them)")
    a = p.parse_args(argv)
    try:
        rows = read_source(a.source)
        reference = a.reference or ("checkout" if os.path.isdir(a.source) else "own")
        levels = [int(x) for x in a.levels.split(",") if x.strip()]
        chosen, log = select(rows, checkout_problems(a.kernelbench), a.per_level, levels, reference)
        chosen, log = only(chosen, log, a.only)
    except (CorpusError, ValueError) as e:
        print(f"corpus_select: {e}", file=sys.stderr)
        return 2
    write(chosen, log, a.work)
    counts = {lv: sum(1 for k in chosen if k["level"] == lv) for lv in levels}
    print(json.dumps({"source": a.source, "reference": reference, "kernels": len(chosen), "per_level": counts,
                      "skipped": sum(1 for e in log if not e["chosen"])}))
    return 0 if chosen else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
