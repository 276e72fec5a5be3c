"""KernelBench's evaluator against itself, beside kbh against KernelBench: several calls' corpus tables of one level.

    python3 corpus_spread.py LABEL=corpus.csv [LABEL=corpus.csv ...] [--column kbh_kernelbench_kernelbench]

Each corpus.csv is a table of scripts/gpu-corpus.sh (corpus_table.py), one call each, on the same GPU model and the
same kernels. One KernelBench measurement of a launch-bound kernel does not reproduce itself within 5% from one call
to the next (sessions 21-24), so a kbh/KernelBench ratio from one call says little alone: this sets, per kernel,
KernelBench's speedup in every call beside kbh's, and counts (a) pairs of calls in which KernelBench's own speedups
are within 5% of each other and (b) calls in which kbh's speedup is within 5% of KernelBench's in that call; then (b)
again over the kernels KernelBench reproduces (every pair of its calls within 5%), and (c) kbh's speedups that lie
within the range of KernelBench's own over the calls, widened by 5% (as close to KernelBench as it is to itself).
Prints Markdown.
"""
import csv
import itertools
import sys

from corpus_table import PARITY_TOLERANCE as TOLERANCE  # (the corpus table's parity: within 5%)


def within(a, b):
    return abs(a / b - 1.0) <= TOLERANCE


def read(path, column):
    """{kernel: (KernelBench's speedup or None, kbh's speedup or None)} for the kernels both evaluators' rows name."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kb = _speedup(row, "kb_status", "kb_speedup")
            kbh = _speedup(row, f"{column}_status", f"{column}_speedup")
            rows[row["kernel"]] = (kb, kbh)
    return rows


def _speedup(row, status, speedup):
    try:
        return float(row[speedup]) if row.get(status) == "correct" and row.get(speedup) else None
    except ValueError:
        return None


def _order(kernel):
    level, _, pid = kernel.lstrip("L").partition("/")
    return (int(level), int(pid)) if level.isdigit() and pid.isdigit() else (1 << 30, 0)


def table(calls, column):
    labels = list(calls)
    kernels = sorted(set().union(*calls.values()), key=_order)
    lines = ["| kernel | " + " | ".join(f"{label}: KB, kbh" for label in labels)
             + " | KB against itself (pairs within 5%) | kbh/KB per call |",
             "|---|" + "---|" * (len(labels) + 2)]
    kb_pairs = kb_pairs_within = kbh_calls = kbh_within = 0
    steady = steady_calls = steady_within = in_range = ranged = 0
    for kernel in kernels:
        row = [calls[label].get(kernel, (None, None)) for label in labels]
        cells = [f"{_fmt(a)}, {_fmt(b)}" for a, b in row]
        kb, mine = [a for a, _ in row if a], [b for _, b in row if b]
        ratios = [b / a for a, b in row if a and b]
        if len(kb) > 1:  # (a range needs two of KernelBench's measurements)
            low, high = min(kb) * (1 - TOLERANCE), max(kb) * (1 + TOLERANCE)
            ranged, in_range = ranged + len(mine), in_range + sum(1 for b in mine if low <= b <= high)
        pairs = list(itertools.combinations(kb, 2))
        close = sum(1 for x, y in pairs if within(x, y))
        kb_pairs, kb_pairs_within = kb_pairs + len(pairs), kb_pairs_within + close
        agree = sum(1 for r in ratios if within(r, 1.0))
        kbh_calls, kbh_within = kbh_calls + len(ratios), kbh_within + agree
        if pairs and close == len(pairs) and ratios:
            steady += 1
            steady_calls += len(ratios)
            steady_within += agree
        spread = f"{close} of {len(pairs)}" + (f" (max/min {max(kb) / min(kb):.2f})" if pairs else "")
        lines.append(f"| {kernel} | " + " | ".join(cells) + f" | {spread} | "
                     + " ".join(f"{r:.2f}" for r in ratios) + " |")
    lines += ["",
              f"KernelBench against itself: {kb_pairs_within} of {kb_pairs} pairs of calls within 5% of each other.",
              f"kbh against KernelBench, same call: {kbh_within} of {kbh_calls} within 5%.",
              f"Over the {steady} kernels KernelBench reproduces (every pair of its calls within 5%): kbh within 5% of "
              f"it in {steady_within} of {steady_calls} calls.",
              f"kbh's speedups within KernelBench's own range over the calls (its lowest and highest, widened by 5%): "
              f"{in_range} of {ranged}."]
    return "\n".join(lines)


def _fmt(x):
    return f"{x:.2f}" if x else "-"


def main(argv):
    column = "kbh_kernelbench_kernelbench"
    if "--column" in argv:
        i = argv.index("--column")
        column, argv = argv[i + 1], argv[:i] + argv[i + 2:]
    calls = {}
    for arg in argv:
        label, sep, path = arg.partition("=")
        if not sep or not label or not path:
            print(f"expected LABEL=corpus.csv, got {arg!r}", file=sys.stderr)
            return 2
        calls[label] = read(path, column)
    if len(calls) < 2:
        print("give at least two calls' tables", file=sys.stderr)
        return 2
    print(table(calls, column))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
