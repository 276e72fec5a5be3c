"""scripts/bench/kb_trial_breakdown.py on the CPU: the model's host time shows in its step, not in nothing's."""
import json
import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kb_trial_breakdown.py")
_SLOW = '''import time
import torch

class ModelNew(torch.nn.Module):
    def forward(self, x):
        time.sleep(0.002)
        return x * 2

def get_inputs():
    return [torch.ones(4)]

def get_init_inputs():
    return []
'''


def _row(out, step):
    cells = next(line for line in out.splitlines() if line.startswith(f"| {step} |")).split("|")
    return float(cells[2]), float(cells[3])


def _run(*args):
    run = subprocess.run([sys.executable, SCRIPT, "--device", "cpu", "--trials", "20", *args], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_the_model_s_host_time_is_its_call_step_and_its_batch_s_gap_is_not_counted_twice(tmp_path):
    source = tmp_path / "candidate.py"
    source.write_text(_SLOW)
    out = _run("--source", str(source))
    nothing, model = _row(out, "call")
    assert model >= 2000 and nothing < 500, out
    nothing_total, model_total = _row(out, "batch host time (ms)")
    assert model_total - nothing_total >= 20 * 2.0, out  # 20 trials of at least 2 ms
    gap = float(out.split("batch beyond nothing + median event time: ")[1].split(" ms")[0])
    assert abs(gap) < 20 * 1.0, out  # (on a CPU the event time is the call's: the gap is the steps around it)


def test_a_cuda_l1_row_is_picked_by_level_and_task(tmp_path):
    rows = tmp_path / "h100.json"
    rows.write_text(json.dumps({"level_id": 1, "task_id": 3, "custom_code": "raise SystemExit('wrong row')"}) + "\n"
                    + json.dumps({"level_id": 2, "task_id": 18, "custom_code": _SLOW}) + "\n")
    assert _row(_run("--cuda-l1", str(rows), "--level", "2", "--task", "18"), "call")[1] >= 2000
    run = subprocess.run([sys.executable, SCRIPT, "--device", "cpu", "--cuda-l1", str(rows), "--level", "3",
                          "--task", "1"], capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "no level 3 task 1" in run.stderr
