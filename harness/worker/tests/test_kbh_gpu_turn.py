"""kbh_gpu_turn's quiet lock: timed calls wait for a process's start on the same device, in another worker too, at
most their limit, and no start begins while they run."""
import os
import subprocess
import sys
import textwrap
import threading
import time

import torch

import kbh_gpu_turn

WORKER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVICE = torch.device("cpu")  # (the lock's name is the device's; on a GPU its UUID)


def _other_worker_starting(quiet_dir, seconds):
    """Another worker's process holding a start on the device for `seconds`."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {WORKER!r})
        import torch, kbh_gpu_turn
        with kbh_gpu_turn.starting({quiet_dir!r}, torch.device("cpu")):
            print("starting", flush=True)
            time.sleep({seconds})
            print("ending", flush=True)  # (written while it still holds the start)
    """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "starting"
    return holder


def test_timed_calls_wait_for_another_workers_start_then_run_alone(tmp_path):
    holder = _other_worker_starting(str(tmp_path), 0.6)
    try:
        turn = kbh_gpu_turn.GpuTurn(None, DEVICE, quiet_dir=str(tmp_path))
        with turn.timed(limit_s=10) as quiet:
            assert quiet and turn.quiet_waited_s > 0.3
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
    finally:
        holder.kill()
        holder.wait()


def test_a_start_that_does_not_end_holds_timed_calls_up_only_to_their_limit(tmp_path):
    holder = _other_worker_starting(str(tmp_path), 60)
    try:
        turn = kbh_gpu_turn.GpuTurn(None, DEVICE, quiet_dir=str(tmp_path))
        with turn.timed(limit_s=0.3) as quiet:
            assert quiet is False and 0.3 <= turn.quiet_waited_s < 5
    finally:
        holder.kill()
        holder.wait()


def test_without_a_quiet_folder_timed_calls_wait_for_nothing(tmp_path):
    holder = _other_worker_starting(str(tmp_path), 60)
    try:
        turn = kbh_gpu_turn.GpuTurn(None, DEVICE)
        with turn.timed(limit_s=5) as quiet:
            assert quiet and turn.quiet_waited_s == 0.0
        with kbh_gpu_turn.starting(None, DEVICE):
            pass
    finally:
        holder.kill()
        holder.wait()
