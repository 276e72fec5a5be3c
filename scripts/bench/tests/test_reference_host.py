"""scripts/gpu-reference-host.sh on the CPU: kbh's same-code table, then each problem's trial breakdown unpinned and
pinned, for every problem asked for."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_each_problem_is_judged_as_its_own_candidate_then_broken_down_pinned_and_unpinned(tmp_path):
    env = {**os.environ, "DEVICE": "cpu", "KBH": os.path.join(ROOT, "scripts", "kbh"), "KBH_PYTHON": sys.executable,
           "KBH_KERNELBENCH": os.path.join(ROOT, "problems"), "PROBLEMS": "1/1 1/2", "OUT": str(tmp_path),
           "PIN": "0"}
    run = subprocess.run(["bash", os.path.join(ROOT, "scripts", "gpu-reference-host.sh")], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    table = (tmp_path / "same" / "same-code.md").read_text()
    assert "| L1/1 | kernelbench |" in table and "| L1/2 | kernelbench |" in table, table
    breakdown = (tmp_path / "breakdown.md").read_text()
    for name in ("level_1_problem_1", "level_1_problem_2"):
        for where in ("unpinned", "pinned"):
            section = breakdown.split(f"## {name}, {where}\n")[1].split("\n## ")[0]
            assert "| call |" in section and "exit " not in section, section
