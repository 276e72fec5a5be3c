"""The real-kernel corpus table: KernelBench's evaluator beside kbh, per kernel, for scripts/gpu-corpus.sh.

    python3 corpus_table.py WORK OUTDIR

Reads WORK/selection.jsonl (corpus_select.py), WORK/kb.jsonl (corpus_kernelbench.py eval) and every
WORK/kbh/<policy>__<timing>.jsonl (kbh eval --format json lines; the last line per candidate counts). Writes
OUTDIR/corpus.md and OUTDIR/corpus.csv, and prints the Markdown. Verdicts agree when both say correct or both say not
correct. Parity: kbh's speedup under --timing kernelbench over KernelBench's, within 5%. Where the repeat part ran
(WORK/repeat/kb.jsonl, WORK/repeat/kbh/), a section sets each evaluator's second speedup beside its first: the
run-to-run spread a kbh/KernelBench ratio is read against.
"""
import csv
import glob
import json
import os
import sys

PARITY_TOLERANCE = 0.05


def read_jsonl(path, key):
    """{key(line): line}, later lines replacing earlier ones; lines that are not JSON objects are skipped."""
    found = {}
    if not os.path.exists(path):
        return found
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                e = json.loads(line)
            except ValueError:
                continue
            k = key(e)
            if k:
                found[k] = e
    return found


def _candidate(e):
    c = e.get("candidate") or e.get("name") or ""
    return os.path.basename(str(c)) or None


def load(work):
    """(kernels, kb, runs): the chosen kernels in order, KernelBench's lines by candidate name, and kbh's runs
    {(policy, timing): {candidate name: verdict}}."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import corpus_select
    kernels = []
    for e in read_jsonl(os.path.join(work, "selection.jsonl"), lambda e: e.get("origin")).values():
        if e.get("chosen"):
            kernels.append({**e, "name": corpus_select.candidate_name(e)})
    kernels.sort(key=lambda k: (k["level"], k["problem"], k["sample"]))
    kb = read_jsonl(os.path.join(work, "kb.jsonl"), _candidate)
    return kernels, kb, _runs(os.path.join(work, "kbh"))


def _runs(folder):
    """{(policy, timing): {candidate name: verdict}} from folder/<policy>__<timing>.jsonl."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(folder, "*__*.jsonl"))):
        policy, timing = os.path.basename(path)[:-len(".jsonl")].split("__", 1)
        runs[(policy, timing)] = read_jsonl(path, _candidate)
    return runs


def load_repeat(work):
    """(kb, runs) of the repeat part, empty where it did not run."""
    return (read_jsonl(os.path.join(work, "repeat", "kb.jsonl"), _candidate),
            _runs(os.path.join(work, "repeat", "kbh")))


def repeat_rows(table, kb2, runs2):
    """Per kernel that both evaluators judged correct in both measurements under parity timing: the four speedups."""
    parity = next((key for key in runs2 if key[1] == "kernelbench"), None)
    if parity is None:
        return []
    out = []
    for r in table:
        run, b2, v2 = r["runs"].get(parity), kb2.get(r["name"]), runs2[parity].get(r["name"])
        if not run or not (r["kb_status"] == "correct" and run["status"] == "correct"):
            continue
        if not (b2 and b2.get("status") == "correct" and v2 and v2.get("status") == "correct"):
            continue
        kb_a, kb_b, kbh_a, kbh_b = r["kb_speedup"], _speedup(b2), run["speedup"], _speedup(v2)
        if None in (kb_a, kb_b, kbh_a, kbh_b):
            continue
        out.append({"kernel": r["kernel"], "kb": (kb_a, kb_b), "kbh": (kbh_a, kbh_b),
                    "kb_again": kb_b / kb_a, "kbh_again": kbh_b / kbh_a,
                    "kbh_over_kb": ((kbh_a + kbh_b) / 2) / ((kb_a + kb_b) / 2)})
    return out


def repeat_markdown(rep):
    if not rep:
        return []
    n = len(rep)
    within = lambda key: sum(1 for x in rep if abs(x[key] - 1) <= PARITY_TOLERANCE)  # noqa: E731
    md = ["", "## Run to run (the repeat part)", "",
          f"Of {n} kernels both evaluators judged correct twice under parity timing, speedup within "
          f"±{PARITY_TOLERANCE:.0%} of the same evaluator's first: KernelBench {within('kb_again')}, kbh "
          f"{within('kbh_again')}; kbh's mean of two within ±{PARITY_TOLERANCE:.0%} of KernelBench's: "
          f"{within('kbh_over_kb')}.", "",
          "| kernel | KB speedup 1 | KB speedup 2 | kbh speedup 1 | kbh speedup 2 | KB 2/1 | kbh 2/1 | kbh/KB (means) |",
          "|---|---|---|---|---|---|---|---|"]
    for x in rep:
        md.append(f"| {x['kernel']} | {x['kb'][0]:.2f} | {x['kb'][1]:.2f} | {x['kbh'][0]:.2f} | {x['kbh'][1]:.2f} | "
                  f"{x['kb_again']:.2f} | {x['kbh_again']:.2f} | {x['kbh_over_kb']:.2f} |")
    return md


def correct(status):
    return None if status in (None, "", "not run", "retry", "harness_error") else status == "correct"


def _speedup(v):
    s = v.get("speedup") if v else None
    return s if isinstance(s, (int, float)) and s > 0 else None


def _short(text, n=160):
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def rows(kernels, kb, runs):
    """One row per kernel: the numbers and, per kbh run, its verdict, speedup, agreement and (for kernelbench timing)
    the speedup ratio to KernelBench's."""
    out = []
    for k in kernels:
        b = kb.get(k["name"])
        row = {"kernel": f"L{k['level']}/{k['problem']}" + (f" s{k['sample']}" if k["sample"] else ""),
               "name": k["name"], "published_speedup": k.get("published_speedup"),
               "kb_status": b.get("status") if b else "not run", "kb_speedup": _speedup(b),
               "kb_error": _short(b.get("error_text") or b.get("error")) if b else "", "runs": {}}
        for (policy, timing), verdicts in runs.items():
            v = verdicts.get(k["name"])
            status = v.get("status") if v else "not run"
            kc, hc = correct(row["kb_status"]), correct(status)
            run = {"status": status, "speedup": _speedup(v), "reason": _short(v.get("reason")) if v else "",
                   "flags": ",".join(v.get("flags") or []) if v else "",
                   "agree": None if kc is None or hc is None else kc == hc}
            if run["speedup"] and row["kb_speedup"]:
                run["ratio"] = run["speedup"] / row["kb_speedup"]
            row["runs"][(policy, timing)] = run
        out.append(row)
    return out


def summary(table, runs):
    lines = []
    judged_kb = [r for r in table if correct(r["kb_status"]) is not None]
    lines.append(f"KernelBench's evaluator: {len(judged_kb)} of {len(table)} kernels judged, "
                 f"{sum(1 for r in judged_kb if correct(r['kb_status']))} correct.")
    for key in runs:
        both = [r for r in table if r["runs"][key]["agree"] is not None]
        agree = sum(1 for r in both if r["runs"][key]["agree"])
        kb_right = [r for r in both if correct(r["kb_status"])]
        line = (f"kbh policy {key[0]}, timing {key[1]}: agrees on {agree} of {len(both)} judged by both "
                f"({sum(1 for r in kb_right if r['runs'][key]['agree'])} of the {len(kb_right)} KernelBench judged "
                "correct)")
        ratios = [r["runs"][key]["ratio"] for r in table if "ratio" in r["runs"][key]]
        if ratios:
            within = sum(1 for x in ratios if abs(x - 1) <= PARITY_TOLERANCE)
            ratios.sort()
            line += (f"; speedup / KernelBench's within ±{PARITY_TOLERANCE:.0%}: {within} of {len(ratios)} "
                     f"(median ratio {ratios[len(ratios) // 2]:.3f})")
        lines.append(line + ".")
    return lines


def _num(x):
    return f"{x:.2f}" if isinstance(x, (int, float)) else ""


def markdown(table, runs, rep=()):
    keys = list(runs)
    head = ["kernel", "CUDA-L1 published", "KernelBench", "KB speedup"]
    for p, t in keys:
        head += [f"kbh {p}/{t}", "speedup", "agree"]
    md = ["# Real-kernel corpus: KernelBench's evaluator and kbh", "", *summary(table, runs), "",
          "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table:
        cells = [r["kernel"], _num(r["published_speedup"]), r["kb_status"], _num(r["kb_speedup"])]
        for key in keys:
            run = r["runs"][key]
            agree = {True: "yes", False: "**no**", None: ""}[run["agree"]]
            cells += [run["status"], _num(run["speedup"]) + (f" ({run['ratio']:.2f}×KB)" if "ratio" in run else ""),
                      agree]
        md.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    disagreements = [(r, key) for r in table for key in keys if r["runs"][key]["agree"] is False]
    md += ["", f"## Disagreements ({len(disagreements)})", ""]
    for r, (p, t) in disagreements:
        run = r["runs"][(p, t)]
        md.append(f"- {r['kernel']} ({p}/{t}): KernelBench {r['kb_status']}"
                  + (f" ({r['kb_error']})" if r["kb_error"] else "") + f"; kbh {run['status']}"
                  + (f": {run['reason']}" if run["reason"] else "") + (f" [flags: {run['flags']}]" if run["flags"] else ""))
    md += repeat_markdown(rep)
    return "\n".join(md) + "\n"


def write_csv(table, runs, path):
    keys = list(runs)
    head = ["kernel", "candidate", "published_speedup", "kb_status", "kb_speedup", "kb_error"]
    for p, t in keys:
        head += [f"kbh_{p}_{t}_{c}" for c in ("status", "speedup", "ratio_to_kb", "agree", "reason", "flags")]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(head)
        for r in table:
            cells = [r["kernel"], r["name"], r["published_speedup"], r["kb_status"], r["kb_speedup"], r["kb_error"]]
            for key in keys:
                run = r["runs"][key]
                cells += [run["status"], run["speedup"], run.get("ratio"),
                          "" if run["agree"] is None else str(run["agree"]).lower(), run["reason"], run["flags"]]
            w.writerow(["" if c is None else c for c in cells])


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    work, outdir = argv
    kernels, kb, runs = load(work)
    if not kernels:
        print(f"corpus_table: {work}/selection.jsonl chose no kernels", file=sys.stderr)
        return 1
    table = rows(kernels, kb, runs)
    os.makedirs(outdir, exist_ok=True)
    text = markdown(table, runs, repeat_rows(table, *load_repeat(work)))
    with open(os.path.join(outdir, "corpus.md"), "w", encoding="utf-8") as f:
        f.write(text)
    write_csv(table, runs, os.path.join(outdir, "corpus.csv"))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
