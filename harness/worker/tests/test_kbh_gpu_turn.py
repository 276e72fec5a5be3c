"""kbh_gpu_turn's quiet lock: timed calls wait for a process's start on the same device, in another worker too, at
most their limit, and no start begins while they run."""
import contextlib
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import torch

import kbh_gpu_turn

WORKER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVICE = torch.device("cpu")  # (the lock's name is the device's; on a GPU its UUID)


@contextlib.contextmanager
def _other_worker_holding(lock, quiet_dir, seconds):
    """Another worker's process holding `lock` on the device for `seconds`: "starting" (a process's start, shared) or
    "timed" (its timed calls, exclusive); killed when the block ends."""
    held = {"starting": f"kbh_gpu_turn.starting({quiet_dir!r}, cpu)",
            "timed": f"kbh_gpu_turn.GpuTurn(None, cpu, quiet_dir={quiet_dir!r}).timed()"}[lock]
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {WORKER!r})
        import torch, kbh_gpu_turn
        cpu = torch.device("cpu")
        with {held} as lock:
            print("held", lock.held, flush=True)
            time.sleep({seconds})
            print("ending", flush=True)  # (written while it still holds it)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held True"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_timed_calls_wait_for_another_workers_start_then_run_alone(tmp_path):
    with _other_worker_holding("starting", str(tmp_path), 0.6) as holder:
        turn = kbh_gpu_turn.GpuTurn(None, DEVICE, quiet_dir=str(tmp_path))
        with turn.timed(limit_s=10) as quiet:
            assert quiet.held and quiet.waited_s > 0.3
            read = time.monotonic()  # its start was over before the first timed call: its last line is there already
            assert holder.stdout.readline().strip() == "ending" and time.monotonic() - read < 0.1
            started = threading.Event()

            def start():
                with kbh_gpu_turn.starting(str(tmp_path), DEVICE):
                    started.set()
            t = threading.Thread(target=start)
            t.start()
            assert not started.wait(0.3)  # a start waits while the timed calls run
        t.join(5)
        assert started.is_set()


def test_no_start_begins_while_timed_calls_wait_for_one_under_way(tmp_path):
    # Without the gate a shared flock lets new starts in beside the one under way, and the timed calls keep waiting.
    order = []
    with _other_worker_holding("starting", str(tmp_path), 0.8):
        def timed():
            with kbh_gpu_turn.GpuTurn(None, DEVICE, quiet_dir=str(tmp_path)).timed(limit_s=10) as quiet:
                order.append(("timed", quiet.held))
                time.sleep(0.2)
            order.append(("timed over", True))

        def start():
            with kbh_gpu_turn.starting(str(tmp_path), DEVICE) as quiet:
                order.append(("start", quiet.held))
        waiting = threading.Thread(target=timed)
        waiting.start()
        time.sleep(0.2)  # the timed calls are waiting for the start under way
        late = threading.Thread(target=start)
        late.start()
        waiting.join(10)
        late.join(10)
    assert order == [("timed", True), ("timed over", True), ("start", True)]


def test_a_start_that_does_not_end_holds_timed_calls_up_only_to_their_limit(tmp_path):
    with _other_worker_holding("starting", str(tmp_path), 60):
        turn = kbh_gpu_turn.GpuTurn(None, DEVICE, quiet_dir=str(tmp_path))
        with turn.timed(limit_s=0.3) as quiet:
            assert quiet.held is False and 0.3 <= quiet.waited_s < 5


def test_without_a_quiet_folder_timed_calls_wait_for_nothing(tmp_path):
    with _other_worker_holding("starting", str(tmp_path), 60):
        turn = kbh_gpu_turn.GpuTurn(None, DEVICE)
        with turn.timed(limit_s=5) as quiet:
            assert quiet.held and quiet.waited_s == 0.0
        with kbh_gpu_turn.starting(None, DEVICE):
            pass


@contextlib.contextmanager
def _lane(tmp_path, timeout_s):
    """A real judge's jobs with the quiet lock a GPU lane gets (a CPU has none), and the request for a check of an
    honest sample L1/1 candidate (sandbox off: no spare; nothing to build); its fork servers closed afterwards."""
    import kbh_jobs
    repo = os.path.dirname(os.path.dirname(WORKER))
    jobs = kbh_jobs.Jobs()
    jobs._quiet_dir = lambda req, device: str(tmp_path / "quiet")
    candidate = tmp_path / "c.py"
    candidate.write_text("import torch.nn as nn\n\nclass ModelNew(nn.Module):\n"
                         "    def forward(self, x):\n        return x * 2.0 + 1.0\n")
    check = {"job": "check", "ref_key": "r", "candidate_key": "c", "candidate_path": str(candidate),
             "extensions_dir": str(tmp_path / "ext"), "measure_performance": True,
             "problem_path": os.path.join(repo, "problems", "level1", "1_Scale_and_shift.py"), "device": "cpu",
             "precision": "fp32", "seed": 42, "correctness_trials": 1, "perf_trials": 3, "warmup": 0,
             "timing_method": "host_time", "timing_order": "interleaved", "sandbox": "off", "atol": 1e-2,
             "rtol": 1e-2, "timeout_s": timeout_s}
    try:
        yield jobs, check
    finally:
        for s in jobs.spares.servers + [jobs.build_server]:
            s.close()


@pytest.mark.parametrize("other, waits_in", [("timed", "calibrate"), ("starting", "quiet_wait")])
def test_a_check_waits_out_another_workers_timed_calls_or_start_on_the_judges_clock(tmp_path, other, waits_in):
    # A real check. Another lane timing: its process's start waits for those timed calls. Another process starting:
    # its own timed calls wait for that start. Neither wait is the candidate's time (its limit is 6 s, the wait
    # about 7 s).
    with _lane(tmp_path, timeout_s=6.0) as (jobs, check):
        reference = {**check, "job": "reference", "measure_performance": False}
        assert jobs.run(reference)["status"] == "ok"
        with _other_worker_holding(other, str(tmp_path / "quiet"), 8):
            start = time.monotonic()
            answer = jobs.run(check)
        assert answer["status"] == "correct", answer.get("reason")
        assert time.monotonic() - start > 6 and answer["phase_seconds"][waits_in] > 5  # it did wait


def test_timed_calls_that_did_not_get_the_quiet_lock_say_so_in_the_verdict(tmp_path, monkeypatch):
    # A start that never ends: the reference's timed calls (made for this check) and the candidate's go on without
    # the lock after their limit (shortened here to 0.3 s), and the verdict records both.
    monkeypatch.setattr(kbh_gpu_turn.GpuTurn, "timed",
                        lambda self, limit_s=0.3: kbh_gpu_turn.Bounded(self._quiet, shared=False, limit_s=limit_s))
    with _lane(tmp_path, timeout_s=20.0) as (jobs, check):
        with _other_worker_holding("starting", str(tmp_path / "quiet"), 60):
            answer = jobs.run(check)
        assert answer["status"] == "correct", answer.get("reason")
        assert answer["timing_check"]["start_beside"] is True
        assert answer["timing_check"]["reference_start_beside"] is True
        assert answer["phase_seconds"]["reference.quiet_wait"] >= 0.3


def test_the_harness_lock_folder_and_the_judges_own_are_masked_in_every_candidates_sandbox(tmp_path, monkeypatch):
    import kbh_jobs
    monkeypatch.delenv("KBH_SANDBOX", raising=False)
    locks = tmp_path / "locks"  # (not made yet: it must exist before a sandbox masks it)
    monkeypatch.setattr(kbh_jobs, "_JUDGE_LOCKS", {str(tmp_path)})
    config = kbh_jobs._sandbox_config({"gpu_lock_dir": str(locks), "sandbox": "auto"}, build=False)
    assert locks.is_dir() and str(locks) in config["mask"] and str(tmp_path) in config["mask"]
