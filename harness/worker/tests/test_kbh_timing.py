"""kbh_timing on the CPU: raw per-call times in milliseconds from the worker's saved clock."""
import time

import pytest
import torch

import kbh_timing

CPU = torch.device("cpu")


def test_host_once_measures_one_call_in_milliseconds():
    calls = []
    ms = kbh_timing.host_once(lambda: (calls.append(1), time.sleep(0.05)), CPU)
    assert calls == [1]
    assert 45 <= ms < 1000


def test_host_once_uses_the_saved_clock_not_a_patched_one(monkeypatch):
    monkeypatch.setattr(time, "perf_counter", lambda: 0.0)
    assert kbh_timing.host_once(lambda: time.sleep(0.02), CPU) >= 15


def test_time_calls_on_cpu_runs_warmup_then_returns_one_time_per_trial():
    calls = []
    times = kbh_timing.time_calls(lambda: calls.append(torch.is_grad_enabled()), CPU, "cuda_event", warmup=3, trials=5)
    assert len(times) == 5 and all(t >= 0 for t in times)
    assert calls == [False] * 8  # under no_grad; on the CPU every method is host time, no extra call


def test_stream_escape_is_zero_on_cpu():
    assert kbh_timing.stream_escape_ms(lambda: pytest.fail("not called on the CPU"), CPU) == 0.0
