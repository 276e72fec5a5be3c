"""scripts/gpu-reference-host.sh on the CPU: kbh's same-code table, then each problem's trial breakdown unpinned and
pinned, for every problem asked for."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_each_problem_is_judged_as_its_own_candidate_then_broken_down_pinned_and_unpinned(tmp_path):
    sample = open(os.path.join(ROOT, "problems", "level1", "1_Scale_and_shift.py")).read()
    cuda_l1 = tmp_path / "h100.json"
    cuda_l1.write_text(json.dumps({"level_id": 1, "task_id": 1,
                                   "custom_code": sample + "\n\nclass ModelNew(Model):\n    pass\n"}) + "\n")
    env = {"CUDA_L1": str(cuda_l1), "KERNELS": "1/1",**os.environ, "DEVICE": "cpu", "KBH": os.path.join(ROOT, "scripts", "kbh"), "KBH_PYTHON": sys.executable,
           "KBH_KERNELBENCH": os.path.join(ROOT, "problems"), "PROBLEMS": "1/1 1/2", "OUT": str(tmp_path),
           "PIN": "0"}
    for _ in range(2):  # (the second call writes its tables afresh)
        run = subprocess.run(["bash", os.path.join(ROOT, "scripts", "gpu-reference-host.sh")], env=env,
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
    table = (tmp_path / "same" / "same-code.md").read_text()
    assert "| L1/1 | kernelbench |" in table and "| L1/2 | kernelbench |" in table, table
    breakdown = (tmp_path / "breakdown.md").read_text()
    for name in ("level_1_problem_1", "level_1_problem_2", "CUDA-L1 kernel L1/1"):
        for where in ("unpinned", "pinned"):
            section = breakdown.split(f"## {name}, {where}\n")[1].split("\n## ")[0]
            assert "| call |" in section and "exit " not in section, section
    assert breakdown.count("## ") == 6, breakdown
