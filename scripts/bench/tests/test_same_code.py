"""scripts/gpu-same-code.sh on the CPU, kbh real (scripts/kbh): each reference judged as its own candidate."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def test_each_reference_is_judged_as_its_own_candidate_and_every_run_is_a_column(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "DEVICE": "cpu", "KBH": os.path.join(ROOT, "scripts", "kbh"), "KBH_PYTHON": sys.executable,
           "KBH_KERNELBENCH": os.path.join(ROOT, "problems"), "PROBLEMS": "1/1 1/2", "REPEAT": "2", "OUT": str(out)}
    run = subprocess.run(["bash", os.path.join(ROOT, "scripts", "gpu-same-code.sh")], env=env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    candidate = (out / "candidates" / "level_1_problem_2_sample_0_kernel.py").read_text()
    assert candidate.startswith(open(os.path.join(ROOT, "problems", "level1", "2_Row_softmax.py")).read())
    assert candidate.endswith("class ModelNew(Model):\n    pass\n")
    for n in (1, 2):
        verdicts = [json.loads(line) for line in (out / f"kernelbench-{n}.jsonl").read_text().splitlines()
                    if line.startswith("{")]
        assert sorted(v["status"] for v in verdicts) == ["correct", "correct"], verdicts
        assert all(v["timing"] == "kernelbench" and v["ref_runtime_ms"] > 0 for v in verdicts)
    table = (out / "same-code.md").read_text().splitlines()
    assert table[0].count("run ") == 2
    rows = {line.split(" | ")[0]: line for line in table[2:]}
    assert sorted(rows) == ["| L1/1", "| L1/2"]
    assert all(line.count(" = ") == 2 for line in rows.values())  # candidate / reference = speedup, in both runs


def test_a_problem_the_checkout_lacks_is_named(tmp_path):
    env = {**os.environ, "DEVICE": "cpu", "KBH": "false", "KBH_KERNELBENCH": os.path.join(ROOT, "problems"),
           "PROBLEMS": "1/1 4/99", "OUT": str(tmp_path / "out")}
    run = subprocess.run(["bash", os.path.join(ROOT, "scripts", "gpu-same-code.sh")], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2 and "no problem 4/99" in run.stderr, run.stderr
