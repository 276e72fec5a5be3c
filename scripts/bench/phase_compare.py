"""Where two runs of the same candidates spent their time, candidate by candidate: the verdict lines two `kbh eval
--format json` runs wrote (e.g. the throughput benchmark's c.jsonl of two builds, scripts/gpu-trust.sh), side by side.

    python3 phase_compare.py BEFORE.jsonl AFTER.jsonl [--labels before after] [--phases check_job,check.inputs,...]

Prints a markdown table: per candidate (in AFTER's order) each phase as "before / after" in seconds, then the mean per
candidate of every phase either run recorded, and the difference. Phases are kbh's phase_seconds names (the check's
prefixed check. and adding up to at most check_job; the candidate process's own account candidate_said.*, self-reported;
parts of one phase within.*)."""
import argparse
import os
import statistics

import throughput_table  # (its reader of JSON lines among other output)

DEFAULT_PHASES = ("reference_job", "check_job", "check.candidate_process.start", "check.model.init",
                  "check.model.to_device", "check.inputs", "check.correctness", "check.compare", "check.quiet_wait",
                  "check.timing", "check.gpu_wait")


def name(verdict):
    base = os.path.basename(str(verdict.get("candidate", "?"))).replace("_kernel.py", "")
    parts = base.replace("level_", "").replace("_problem_", "/").split("_sample_")
    return f"L{parts[0]}#{parts[1]}" if len(parts) == 2 else base


def read(path):
    """{candidate: (status, phase_seconds)} from the JSON lines of a run (other lines skipped); the last line wins."""
    return {name(v): (v.get("status", "?"), v.get("phase_seconds") or {})
            for v in throughput_table.lines(path) if isinstance(v, dict) and "phase_seconds" in v}


def table(before, after, labels, phases):
    rows = [f"| candidate | verdicts ({labels[0]} / {labels[1]}) | " + " | ".join(phases) + " |",
            "|---|---|" + "---|" * len(phases)]
    for cand, (status, p) in after.items():
        b_status, b = before.get(cand, ("-", {}))
        cells = [f"{b.get(k, 0):.2f} / {p.get(k, 0):.2f}" for k in phases]
        rows.append(f"| {cand} | {b_status} / {status} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def means(before, after, labels):
    common = [c for c in after if c in before]
    names = sorted({k for c in common for k in list(before[c][1]) + list(after[c][1])})
    rows = [f"| phase | {labels[0]} | {labels[1]} | difference |", "|---|---|---|---|"]
    for k in names:
        a = statistics.mean(before[c][1].get(k, 0.0) for c in common) if common else 0.0
        b = statistics.mean(after[c][1].get(k, 0.0) for c in common) if common else 0.0
        if a or b:
            rows.append(f"| {k} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    return f"Mean seconds per candidate over the {len(common)} both judged:\n\n" + "\n".join(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--labels", nargs=2, default=("before", "after"))
    p.add_argument("--phases", default=",".join(DEFAULT_PHASES))
    a = p.parse_args(argv)
    before, after = read(a.before), read(a.after)
    phases = [x for x in a.phases.split(",") if x]
    print(table(before, after, a.labels, phases))
    print()
    print(means(before, after, a.labels))


if __name__ == "__main__":
    main()
