"""Where the host's time goes in KernelBench's timed trial, for one model against a call of nothing.

KernelBench's trial (kbh_timing.kernelbench_once): synchronize, two events, a 256 MiB L2 flush (not waited for), start
event, the call, end event, synchronize. The judge clocks a batch of such trials and allows the reported event time
plus what a batch of nothing takes (kbh_evidence). A kernel whose trial takes the host longer than that, with nothing
the events see, is rejected timer_mismatch (CUDA-L1's L2/18 on an H100, session 23). This prints, per step, the median
host time of a trial with the model and with nothing, outside any sandbox, so the two can be told apart: a gap here
is the kernel's own; none here and a gap in kbh is kbh's.

  python3 kb_trial_breakdown.py --cuda-l1 FILE.jsonl --level 2 --task 18 [--trials 100] [--device cuda]
  python3 kb_trial_breakdown.py --source candidate.py   (a file with ModelNew, get_inputs, get_init_inputs)
"""
import argparse
import json
import statistics
import time

import torch

_STEPS = ("sync", "events", "flush", "start", "call", "end", "wait")


def _source(args):
    if args.source:
        with open(args.source) as f:
            return f.read()
    with open(args.cuda_l1) as f:
        for line in f:
            row = json.loads(line)
            if str(row.get("level_id")) == str(args.level) and str(row.get("task_id")) == str(args.task):
                return row["custom_code"]
    raise SystemExit(f"no level {args.level} task {args.task} in {args.cuda_l1}")


def trial(fn, device):
    """One KernelBench trial (autograd on, as KernelBench times): the host time of each step (us) and the event ms.
    On a CPU (for this script's test) the steps are the same calls with nothing to synchronize, flush or record, and
    the event time is the call's host time."""
    gpu = device.type == "cuda"
    marks = [time.perf_counter()]
    with torch.enable_grad():
        if gpu:
            torch.cuda.synchronize(device)
        marks.append(time.perf_counter())
        start, end = (torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) if gpu else (0, 0)
        marks.append(time.perf_counter())
        if gpu:
            flush = torch.empty((32, 1024, 1024), dtype=torch.int64, device=device)
            flush.fill_(42)
            del flush
        marks.append(time.perf_counter())
        if gpu:
            start.record()
        marks.append(time.perf_counter())
        fn()
        marks.append(time.perf_counter())
        if gpu:
            end.record()
        marks.append(time.perf_counter())
        if gpu:
            torch.cuda.synchronize(device)
        marks.append(time.perf_counter())
    steps = {name: (b - a) * 1e6 for name, a, b in zip(_STEPS, marks, marks[1:])}
    steps["total"] = (marks[-1] - marks[0]) * 1e6
    return steps, start.elapsed_time(end) if gpu else steps["call"] / 1000.0


def loop(fn, device, trials):
    for _ in range(10):
        trial(fn, device)
    rows = [trial(fn, device) for _ in range(trials)]
    steps = {k: statistics.median(r[0][k] for r in rows) for k in rows[0][0]}
    return steps, statistics.median(r[1] for r in rows), sum(r[0]["total"] for r in rows) / 1000.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--source")
    p.add_argument("--cuda-l1")
    p.add_argument("--level")
    p.add_argument("--task")
    p.add_argument("--trials", type=int, default=100)
    p.add_argument("--device", default="cuda")
    args = p.parse_args()
    device = torch.device(args.device)
    scope = {"__name__": "candidate"}
    exec(compile(_source(args), "candidate", "exec"), scope)
    with torch.no_grad():  # (as KernelBench constructs and moves the model)
        model = scope["ModelNew"](*scope["get_init_inputs"]()).to(device)
    inputs = [x.to(device) if isinstance(x, torch.Tensor) else x for x in scope["get_inputs"]()]
    outs = []
    nothing = loop(lambda: None, device, args.trials)
    call = loop(lambda: outs.append(model(*inputs)) or outs.clear(), device, args.trials)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"device {name}, torch {torch.__version__}, {args.trials} trials")
    print("| step | nothing (us) | model (us) |\n|---|---|---|")
    for k in (*_STEPS, "total"):
        print(f"| {k} | {nothing[0][k]:.1f} | {call[0][k]:.1f} |")
    print(f"| event time (median, us) | {nothing[1] * 1000:.1f} | {call[1] * 1000:.1f} |")
    print(f"| batch host time (ms) | {nothing[2]:.3f} | {call[2]:.3f} |")
    gap = call[2] - nothing[2] - call[1] * args.trials
    print(f"\nbatch beyond nothing + median event time: {gap:.3f} ms ({gap / args.trials * 1000:.1f} us a trial)")


if __name__ == "__main__":
    main()
