"""The throughput benchmark's table (scripts/bench-throughput.sh), from what its parts left in one folder: per mode the
wall time, seconds per candidate, GPU busy share, compile seconds and verdicts; the typical candidate's build alone;
whether every candidate got the same verdict in every mode; how far the same candidate's speedups moved between modes.

    python3 throughput_table.py BENCH_DIR
"""
import datetime
import json
import re
import os
import statistics
import sys


def lines(path):
    if not os.path.isfile(path):
        return []
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def load(path):
    rows = lines(path)
    return rows[-1] if rows else None


def load_whole(path):
    """A file that holds one (indented) JSON document, or None."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def gpu_busy(path):
    try:
        values = [float(v) for v in open(path).read().split() if v.replace(".", "", 1).isdigit()]
    except OSError:
        return None
    return statistics.mean(values) if values else None


def kbh_mode(folder, mode):
    summary = load(os.path.join(folder, f"{mode}-summary.json"))
    rows = lines(os.path.join(folder, f"{mode}.jsonl"))
    if not summary:
        return None
    verdicts = {os.path.basename(r["candidate"]): r for r in rows}
    return {"wall": summary["wall_s"], "n": summary["candidates"], "gpu": gpu_busy(os.path.join(folder, f"{mode}-gpu.txt")),
            "workers": summary.get("gpu_workers", 1),
            "compile": sum(r.get("build_seconds") or 0 for r in rows), "judged": len(rows),
            "status": {k: v["status"] for k, v in verdicts.items()},
            "speedup": {k: v.get("speedup") for k, v in verdicts.items()},
            "modes": [m for r in rows for m in (r.get("build_modes") or [])],
            "phases": [r.get("phase_seconds") or {} for r in rows],
            "times": lines(os.path.join(folder, f"{mode}-times.jsonl")),
            "stages": load_whole(os.path.join(folder, f"{mode}-timeline.json")),
            "candidates": [os.path.basename(r["candidate"]) for r in rows]}


def kernelbench_mode(folder):
    summary = load(os.path.join(folder, "a-summary.json"))
    rows = lines(os.path.join(folder, "a.jsonl"))
    if not summary:
        return None
    status, speedup = {}, {}
    for r in rows:
        b, e = r.get("build") or {}, r.get("eval") or {}
        status[r["candidate"]] = "compile_error" if not b.get("ok", True) else e.get("status", "runtime_error")
        speedup[r["candidate"]] = e.get("speedup")
    return {"wall": summary["wall_s"], "n": summary["candidates"], "gpu": gpu_busy(os.path.join(folder, "a-gpu.txt")),
            "compile": sum((r.get("build") or {}).get("seconds") or 0 for r in rows), "judged": len(rows),
            "status": status, "speedup": speedup, "build_phase": summary.get("build_phase_s"),
            "eval_wall": [r.get("eval_wall_s") for r in rows if r.get("eval_wall_s")],
            "load": [(r.get("eval") or {}).get("load_seconds") for r in rows if (r.get("eval") or {}).get("load_seconds")]}


# A check's phases spent holding the GPU (kbh_check.py's laps inside the turn).
_IN_TURN = ("check.model.to_device", "check.inputs", "check.correctness", "check.validators", "check.timing", "check.poison",
            "check.turn_end")
# A reference job's phases inside the turn ("reference.inputs" is left out: it also holds the host-side draws).
_REF_IN_TURN = ("reference.model.to_device", "reference.outputs", "reference.timing", "reference.keep_outputs",
                "reference.poison", "reference.turn_end")


def gpu_held(name, m):
    """The seconds the mode's jobs held the GPU, summed: with one GPU, the wall time cannot go below it."""
    phases = m["phases"]

    def summed(keys):
        return sum(p.get(k, 0.0) for p in phases for k in keys)

    total = summed(_IN_TURN + _REF_IN_TURN)
    copies = summed(("check.model.to_device", "reference.model.to_device"))
    ends = summed(("check.turn_end", "reference.turn_end"))
    return (f"{name} GPU held, summed over the jobs (the reference's input copies left out): {total:.1f} s, "
            f"{total / max(len(phases), 1):.2f} s per candidate; of it moving the models over {copies:.1f} s, "
            f"turn ends {ends:.1f} s.")


def _instant(text):
    """An ISO time as seconds (.NET writes 7 fractional digits; Python's parser takes 6)."""
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    return datetime.datetime.fromisoformat(text).timestamp()


def timeline(name, m):
    """Where the lanes' time went: from the first candidate's start to the last verdict, each lane (GPU worker) is
    judging a candidate or idle; a candidate's judging is starting the worker, the load job, the reference and check
    jobs, and the rest (waiting for its build to finish, the harness between jobs). The wall time outside that span is
    the harness starting (problems, workers spawned) and stopping (workers shut down). (A verdict's queue_seconds is
    not part of it: the wait for a build slot starts when every build is queued, before the candidate's turn.)"""
    spans = [(_instant(t["started"]), _instant(t["ended"])) for t in m["times"] if t.get("started") and t.get("ended")]
    if not spans:
        return f"{name} timeline: no times"
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    judging = sum(e - s for s, e in spans)
    parts = {}
    for key, label in (("worker_start", "worker start"), ("load_job", "load jobs"), ("reference_job", "reference jobs"),
                       ("check_job", "check jobs")):
        parts[label] = sum(p.get(key, 0.0) for p in m["phases"])
    parts["rest"] = judging - sum(parts.values())
    lanes = m["workers"] * (last - first)
    text = (f"{name} timeline: the first candidate's start to the last verdict {last - first:.0f} s of {m['wall']} s "
            f"wall; {m['workers']} lanes judging {judging:.0f} of {lanes:.0f} lane-seconds ({judging / lanes * 100:.0f}%): "
            + ", ".join(f"{k} {v:.0f}" for k, v in parts.items()) + " s.")
    stages = m.get("stages") or {}
    if stages.get("process_started") and stages.get("marks"):
        # kbh's timeline.json: its stages in seconds from the process's start, with the candidates' span placed in it
        zero = _instant(stages["process_started"])
        marks = [(k["name"], k["seconds"]) for k in stages["marks"]]
        marks += [("first candidate started", first - zero), ("last verdict", last - zero)]
        text += "\n" + f"{name} harness stages, seconds from kbh's start: " + ", ".join(
            f"{k.replace('_', ' ')} {v:.1f}" for k, v in sorted(marks, key=lambda kv: kv[1])) + "."
        if stages.get("counts"):
            text += " " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in stages["counts"].items()) + "."
    return text


def fmt(v, spec="{:.1f}"):
    return "-" if v is None else spec.format(v)


def main(folder):
    kinds = {"b": "cold cache", "c": "warm cache", "d": "warm cache, inputs made on the GPU",
             "e": "warm cache, reference timed separately", "f": "warm cache, several attempts per problem",
             "g": "warm cache, several attempts per problem, reference timed separately",
             "h": "warm cache, torch's serial draws, 4 KB pages (KBH_FAST_FILL=0 THP_MEM_ALLOC_ENABLE=0)",
             "i": "warm cache, several attempts per problem, torch's serial draws, 4 KB pages",
             "j": "warm cache, each GPU worker's draws on its own cores only (--host-draws own)",
             "k": "warm cache, weights and inputs copied from pageable memory (--pinned-gib 0)"}
    mode_names = sorted(f[:-len("-summary.json")] for f in os.listdir(folder)
                        if f.endswith("-summary.json") and f[0] in kinds)
    modes = {"(a) KernelBench flow": kernelbench_mode(folder)}
    for name in mode_names:
        m = kbh_mode(folder, name)
        modes[f"({name}) pipeline, {kinds[name[0]]}, {m['workers']} GPU worker(s)"] = m
    env = open(os.path.join(folder, "environment.txt")).read().strip() if os.path.isfile(os.path.join(folder, "environment.txt")) else ""
    print("# Throughput benchmark\n")
    print("```\n" + env + "\n```\n")
    print("| mode | candidates judged | wall s | s / candidate | GPU busy % | compile s (sum) | correct | other verdicts |")
    print("|---|---|---|---|---|---|---|---|")
    for name, m in modes.items():
        if not m:
            print(f"| {name} | not run | | | | | | |")
            continue
        correct = sum(1 for s in m["status"].values() if s == "correct")
        other = {}
        for s in m["status"].values():
            if s != "correct":
                other[s] = other.get(s, 0) + 1
        print(f"| {name} | {m['judged']}/{m['n']} | {m['wall']} | {fmt(m['wall'] / max(m['n'], 1))} | {fmt(m['gpu'], '{:.0f}')} "
              f"| {fmt(m['compile'])} | {correct} | {', '.join(f'{k} {v}' for k, v in sorted(other.items())) or '-'} |")
    a = modes["(a) KernelBench flow"]
    if a:
        for name, m in modes.items():
            if name.startswith("(b"):
                print(f"\nPipeline {name.split(')')[0]}) vs KernelBench flow (a): {a['wall'] / max(m['wall'], 1):.1f}x fewer "
                      "seconds per candidate.")
    # One more attempt at a problem whose reference is already made: what a closed loop pays per attempt.
    # (i) runs with serial draws, so its one-attempt base is (h), the warm single-attempt run with serial draws.
    bases = {b: next((v for k, v in modes.items() if k.startswith(f"({b})") and v), None) for b in ("c", "h")}
    for name, m in modes.items():
        if name[:2] not in ("(f", "(g", "(i") or not m:
            continue
        label, base = name.split(")")[0] + ")", "h" if name.startswith("(i") else "c"
        c = bases[base]
        if c and m["n"] > c["n"]:
            print(f"\n{label} one more attempt at a problem already judged (wall beyond ({base}) per candidate beyond "
                  f"({base})): {(m['wall'] - c['wall']) / (m['n'] - c['n']):.2f} s.")
        later = [p for p, key in zip(m["phases"], m["candidates"]) if "_sample_0_" not in key]
        if later:
            jobs = [p.get("check_job", 0.0) for p in later]
            turn = [sum(p.get(k, 0.0) for k in _IN_TURN) for p in later]
            print(f"{label} the {len(later)} attempts after each problem's first: check job median {statistics.median(jobs):.2f} s "
                  f"(mean {statistics.mean(jobs):.2f}), inside the GPU turn median {statistics.median(turn):.2f} s "
                  f"(mean {statistics.mean(turn):.2f}), timing mean {statistics.mean(p.get('check.timing', 0.0) for p in later):.2f} s, "
                  f"constructing ModelNew mean {statistics.mean(p.get('check.model.init', 0.0) for p in later):.2f} s.")
    if a:
        if a["eval_wall"]:
            print(f"(a) one fresh process per candidate: median {statistics.median(a['eval_wall']):.1f} s "
                  f"(of it the candidate's load, extensions already built: median {fmt(statistics.median(a['load']) if a['load'] else None)} s); "
                  f"build phase {a['build_phase']} s.")
    for name, m in ((k.split(" ")[0], v) for k, v in modes.items() if not k.startswith("(a)")):
        if m and m["modes"]:
            counts = {}
            for s in m["modes"]:
                kind = s.rsplit(": ", 1)[-1]
                counts[kind] = counts.get(kind, 0) + 1
            print(f"{name} build modes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        if m and any(m["phases"]):
            keys = sorted({k for p in m["phases"] for k in p})
            means = {k: statistics.mean(p.get(k, 0.0) for p in m["phases"]) for k in keys}
            print(f"{name} mean seconds per candidate by phase: " + ", ".join(f"{k} {v:.2f}" for k, v in means.items()))
            print(gpu_held(name, m))
        if m and m.get("times"):
            print(timeline(name, m))

    print("\n## Same verdicts in every mode?\n")
    names = sorted(set().union(*[m["status"].keys() for m in modes.values() if m]))
    diffs = []
    for n in names:
        seen = {k: m["status"][n] for k, m in modes.items() if m and n in m["status"]}
        if len(set(seen.values())) > 1:
            diffs.append((n, seen))
    if not names:
        print("no verdicts")
    elif not diffs:
        print(f"yes: all {len(names)} candidates got the same verdict in every mode that judged them.")
    else:
        print(f"no: {len(diffs)} of {len(names)} differ")
        for n, seen in diffs:
            print(f"- {n}: " + ", ".join(f"{k.split(')')[0]}) {v}" for k, v in seen.items()))

    print("\n## Speedups of the same candidate across modes\n")
    # Every pipeline mode against (a), and every later mode against the first pipeline mode (cold, usually).
    labels = [k for k, m in modes.items() if m and not k.startswith("(a)")]
    pairs = [("(a) KernelBench flow", k) for k in labels] + [(labels[0], k) for k in labels[1:]]
    for x, y in pairs:
        mx, my = modes[x], modes[y]
        if not mx or not my:
            continue
        ratios = [my["speedup"][n] / mx["speedup"][n] for n in names
                  if mx["speedup"].get(n) and my["speedup"].get(n)]
        if ratios:
            dev = sorted(abs(r - 1) * 100 for r in ratios)
            within = sum(1 for d in dev if d <= 5)
            print(f"- {y.split(')')[0]}) / {x.split(')')[0]}): {len(ratios)} candidates, median |change| {statistics.median(dev):.1f}%, "
                  f"max {dev[-1]:.1f}%, within ±5%: {within}/{len(ratios)}")

    print("\n## One typical candidate built alone\n")
    for label, f in (("torch's plain build (cold)", "alone-plain.json"),
                     ("kbh fast build, everything cold (precompiled header built first)", "alone-fast-cold.json"),
                     ("kbh fast build of another candidate, precompiled header present", "alone-fast-next.json")):
        r = load(os.path.join(folder, f))
        if r:
            objs = [f"{o['file']}: {o['mode']} {o['seconds']:.1f} s" for e in r.get("entries", []) for o in e.get("objects", [])]
            print(f"- {label}: {r.get('seconds', 0):.1f} s" + (f" ({'; '.join(objs)})" if objs else ""))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
