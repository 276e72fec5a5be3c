"""A candidate process's start (its CUDA context, the libraries' handles) runs on the judge's host cores, and its main
thread is back on the lane's own cores before any candidate code can run (kbh_runner.op_prepare). CUDA's start cannot
run on this machine, so the start is replaced by a record of the cores it ran on; the rest is the real Runner."""
import json
import os
import subprocess
import sys

import pytest

WORKER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
os.sched_setaffinity(0, {0})  # the lane's own core
import kbh_runner
runner = kbh_runner.Runner(None, {})
seen = []
runner._start_device = lambda dev: seen.append(sorted(os.sched_getaffinity(0)))
runner.op_prepare({"device": "cpu", "host_cpus": [0, 1]}, ())
after_start = sorted(os.sched_getaffinity(0))
runner.module = object()  # a candidate is loaded: its process no longer widens
runner.op_prepare({"device": "cpu", "host_cpus": [0, 1]}, ())
print(json.dumps({"during": seen, "after": after_start, "after_loaded": sorted(os.sched_getaffinity(0))}))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2 or not {0, 1} <= os.sched_getaffinity(0),
                    reason="needs cores 0 and 1 to tell the lane's core from the host cores")
def test_a_candidate_process_starts_on_the_host_cores_and_runs_candidate_code_on_its_own():
    run = subprocess.run([sys.executable, "-c", SCRIPT, WORKER], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["during"][0] == [0, 1]  # the start, before any candidate code, on the host cores
    assert seen["after"] == [0]  # back on the lane's core once the start is done
    assert seen["during"][1] == [0] and seen["after_loaded"] == [0]  # with a candidate loaded, never widened
