"""scripts/gpu-same-code.sh on the CPU, kbh real (scripts/kbh): each reference judged as its own candidate."""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SCRIPT = os.path.join(ROOT, "scripts", "gpu-same-code.sh")


def _run(out, checkout, kbh=None, problems="1/1 1/2", repeat="2", timeout=600):
    env = {**os.environ, "DEVICE": "cpu", "KBH": kbh or os.path.join(ROOT, "scripts", "kbh"),
           "KBH_PYTHON": sys.executable, "KBH_KERNELBENCH": str(checkout), "PROBLEMS": problems, "REPEAT": repeat,
           "OUT": str(out)}
    return subprocess.run(["bash", SCRIPT], env=env, capture_output=True, text=True, timeout=timeout)


def _kernelbench_clone(tmp_path):
    """A checkout laid out as KernelBench's repository is: its levels under KernelBench/."""
    clone = tmp_path / "KernelBench-clone"
    shutil.copytree(os.path.join(ROOT, "problems", "level1"), clone / "KernelBench" / "level1")
    return clone


def test_each_reference_is_judged_as_its_own_candidate_and_every_run_is_a_column(tmp_path):
    out = tmp_path / "out"
    run = _run(out, _kernelbench_clone(tmp_path))
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
    assert table[0].count("run ") == 2 and table[1].count("---") == 4
    rows = {line.split(" | ")[0]: line for line in table[2:]}
    assert sorted(rows) == ["| L1/1", "| L1/2"]
    assert all(line.count("x |") == 2 for line in rows.values())  # candidate ms, reference ms: speedup, both runs
    # Again into the same folder: judged afresh, not resumed from the first call's runs (an empty table).
    again = _run(out, _kernelbench_clone(tmp_path / "second"), problems="1/1", repeat="1")
    assert again.returncode == 0, again.stderr[-2000:]
    table = (out / "same-code.md").read_text().splitlines()
    assert [line.split(" | ")[0] for line in table[2:]] == ["| L1/1"] and table[2].count("x |") == 1, table
    assert not (out / "candidates" / "level_1_problem_2_sample_0_kernel.py").exists()


def test_a_problem_the_checkout_lacks_is_named_and_a_failed_kbh_fails_the_script(tmp_path):
    checkout = os.path.join(ROOT, "problems")
    missing = _run(tmp_path / "a", checkout, kbh="false", problems="1/1 4/99", timeout=60)
    assert missing.returncode == 2 and "no problem 4/99" in missing.stderr, missing.stderr
    failed = _run(tmp_path / "b", checkout, kbh="false", problems="1/1", repeat="1", timeout=60)
    assert failed.returncode == 1 and "kbh eval exit 1" in failed.stderr, failed.stderr
