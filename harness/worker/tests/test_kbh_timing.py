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


def test_stream_escape_counts_the_smallest_reading_over_what_no_call_reads():
    # One noisy reading (a busy host) among calls that leave nothing behind: no escape.
    assert kbh_timing.escape_over_baseline([0.051, 0.012, 0.030], [0.010, 0.011]) == pytest.approx(0.002)
    # Work left on another stream shows in every reading.
    assert kbh_timing.escape_over_baseline([2.1, 2.0, 2.2], [0.01]) == pytest.approx(1.99)
    assert kbh_timing.escape_over_baseline([0.005], [0.010]) == 0.0


def test_kernelbench_method_runs_its_warmup_and_a_discarded_trial_with_autograd_on():
    calls = []
    with torch.no_grad():  # as the judge's reference job calls it: KernelBench's timing turns autograd back on
        times = kbh_timing.time_calls(lambda: calls.append(torch.is_grad_enabled()), CPU, "kernelbench", warmup=3,
                                      trials=5)
    assert len(times) == 5 and all(t >= 0 for t in times)
    assert calls == [True] * (3 + 1 + 5)  # warm-up, the discarded first trial, the kept ones


def test_kernelbench_once_times_one_call_with_autograd_on_even_under_no_grad():
    seen = []
    with torch.no_grad():
        ms = kbh_timing.kernelbench_once(lambda: (seen.append(torch.is_grad_enabled()), time.sleep(0.03)), CPU)
        assert not torch.is_grad_enabled()  # put back after the call
    assert seen == [True]
    assert 25 <= ms < 1000


def test_kernelbench_timing_records_autograd_in_a_model_with_parameters():
    # What makes KernelBench's speedups differ from a no_grad timing: the reference's output carries a graph.
    model = torch.nn.Linear(4, 4)
    outputs = []
    kbh_timing.time_calls(lambda: outputs.append(model(torch.ones(2, 4))), CPU, "kernelbench", warmup=1, trials=2)
    assert all(o.requires_grad for o in outputs)
    outputs.clear()
    kbh_timing.time_calls(lambda: outputs.append(model(torch.ones(2, 4))), CPU, "cuda_event", warmup=1, trials=2)
    assert not any(o.requires_grad for o in outputs)


def test_describe_says_how_each_method_timed():
    kb = kbh_timing.describe("kernelbench", "separate", CPU)
    assert "KernelBench's cuda_event flow" in kb and "host clock" in kb and "right after the candidate's check" in kb
    cuda = kbh_timing.describe("cuda_event", "interleaved", torch.device("cuda", 0))
    assert "synchronized before the end event" in cuda and "beside each trial" in cuda
    assert "host clock" in kbh_timing.describe("host_time", "interleaved", CPU)
