"""phase_compare.py on verdict lines as `kbh eval --format json` writes them (noise lines between, one candidate only
in one run)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import phase_compare  # noqa: E402


def _write(path, verdicts):
    with open(path, "w", encoding="utf-8") as f:
        f.write("not json\n")
        for v in verdicts:
            f.write(json.dumps(v) + "\n")


def test_each_candidate_side_by_side_and_the_means_over_those_both_judged(tmp_path, capsys):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _write(a, [{"candidate": "/x/level_2_problem_12_sample_0_kernel.py", "status": "correct",
                "phase_seconds": {"check_job": 1.0, "check.inputs": 0.0}},
               {"candidate": "/x/level_1_problem_9_sample_0_kernel.py", "status": "correct",
                "phase_seconds": {"check_job": 3.0}}])
    _write(b, [{"candidate": "/y/level_2_problem_12_sample_0_kernel.py", "status": "rejected",
                "phase_seconds": {"check_job": 1.5, "check.inputs": 0.25, "candidate_said.trial": 0.125}}])
    phase_compare.main([str(a), str(b), "--labels", "old", "new", "--phases", "check_job,check.inputs"])
    out = capsys.readouterr().out
    assert "| L2/12#0 | correct / rejected | 1.00 / 1.50 | 0.00 / 0.25 |" in out
    assert "L1/9#0" not in out.split("Mean")[0]  # only AFTER's candidates are listed
    assert "over the 1 both judged" in out
    assert "| check_job | 1.000 | 1.500 | +0.500 |" in out
    assert "| candidate_said.trial | 0.000 | 0.125 | +0.125 |" in out
