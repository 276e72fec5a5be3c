"""corpus_spread.py: KernelBench's speedups against themselves over calls, beside kbh's against KernelBench's."""
import csv

import corpus_spread

_FIELDS = ["kernel", "kb_status", "kb_speedup", "kbh_kernelbench_kernelbench_status",
           "kbh_kernelbench_kernelbench_speedup"]


def _call(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=_FIELDS)
        w.writeheader()
        for kernel, kb, kbh in rows:
            w.writerow({"kernel": kernel, "kb_status": "correct" if kb else "incorrect", "kb_speedup": kb or "",
                        "kbh_kernelbench_kernelbench_status": "correct" if kbh else "rejected",
                        "kbh_kernelbench_kernelbench_speedup": kbh or ""})
    return str(path)


def test_pairs_calls_and_the_kernels_kernelbench_reproduces_are_counted(tmp_path, capsys):
    # L2/8 steady in KernelBench (1.40, 1.42, 1.41) and kbh within 5% in two of three calls; L2/9 moves 2x in
    # KernelBench itself; L2/6 is not correct in KernelBench's first call and kbh's second.
    a = _call(tmp_path / "a.csv", [("L2/8", 1.40, 1.41), ("L2/9", 1.30, 1.29), ("L2/6", None, 1.1)])
    b = _call(tmp_path / "b.csv", [("L2/8", 1.42, 1.60), ("L2/9", 2.60, 4.00), ("L2/6", 1.05, None)])
    c = _call(tmp_path / "c.csv", [("L2/8", 1.41, 1.40), ("L2/9", 1.31, 1.30), ("L2/6", 1.06, 1.06)])
    assert corpus_spread.main([f"s1={a}", f"s2={b}", f"s3={c}"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| L2/")]
    assert [r.split(" |")[0] for r in rows] == ["| L2/6", "| L2/8", "| L2/9"]  # by problem id
    assert "| 3 of 3 (max/min 1.01) | 1.01 1.13 0.99 |" in rows[1], rows[1]
    assert "| 1 of 3 (max/min 2.00) |" in rows[2], rows[2]
    # pairs: L2/6 1 (within), L2/8 3 (within), L2/9 3 (one within) -> 5 of 7; kbh: L2/6 1 of 1, L2/8 2 of 3, L2/9 2 of 3
    assert "KernelBench against itself: 5 of 7 pairs of calls within 5% of each other." in out
    assert "kbh against KernelBench, same call: 5 of 7 within 5%." in out
    assert "Over the 2 kernels KernelBench reproduces (every pair of its calls within 5%): kbh within 5% of it in 3 " \
           "of 4 calls." in out
    # ranges: L2/6 [0.9975, 1.113]: 1.1, 1.06 in; L2/8 [1.33, 1.491]: 1.41, 1.40 in, 1.60 out; L2/9 [1.235, 2.73]:
    # 1.29, 1.30 in, 4.00 out
    assert "(its lowest and highest, widened by 5%): 6 of 8." in out


def test_a_malformed_argument_or_a_single_call_is_refused(tmp_path, capsys):
    a = _call(tmp_path / "a.csv", [("L1/1", 1.0, 1.0)])
    assert corpus_spread.main([a]) == 2
    assert "expected LABEL=corpus.csv" in capsys.readouterr().err
    assert corpus_spread.main([f"s1={a}"]) == 2
    assert "at least two" in capsys.readouterr().err
