"""Raw per-trial times in milliseconds; statistics are computed by the harness, not here.

Every timer is the worker's own saved reference (kbh_guard), so a candidate that patches torch.cuda.Event or
time.perf_counter cannot change what is measured. On CUDA the whole device is synchronized before the end event
is read, so work a candidate launches on other streams is counted.
"""
import torch

import kbh_guard

_L2_FLUSH_BYTES = 256 * 1024 * 1024
_flush_buffer = {}


def _flush_l2(device):
    buf = _flush_buffer.get(device)
    if buf is None:
        buf = _flush_buffer[device] = torch.empty(_L2_FLUSH_BYTES // 4, dtype=torch.int32, device=device)
    buf.zero_()


KERNELBENCH = "kernelbench"  # KernelBench's own cuda_event measurement, step for step (docs/timing-parity.md)


def time_calls(fn, device, method, warmup, trials):
    """Runs fn() warmup times, then returns `trials` raw times in ms (one more is run and discarded first on CUDA)."""
    if method == KERNELBENCH:
        return kernelbench_calls(fn, device, warmup, trials)
    with torch.no_grad():
        for _ in range(warmup):
            fn()
        if device.type != "cuda":
            return _host(fn, device, trials)
        kbh_guard.synchronize(device)
        if method == "host_time":
            return _host(fn, device, trials)
        if method == "do_bench":
            return _do_bench(fn, device, trials)
        return _cuda_event(fn, device, trials)[1:]


def _host(fn, device, trials):
    return [host_once(fn, device) for _ in range(trials)]


def host_once(fn, device):
    if device.type == "cuda":
        _flush_l2(device)
        kbh_guard.synchronize(device)
    start = kbh_guard.perf_counter()
    fn()
    if device.type == "cuda":
        kbh_guard.synchronize(device)
    return (kbh_guard.perf_counter() - start) * 1000.0


def _cuda_event(fn, device, trials):
    return [event_once(fn, device) for _ in range(trials + 1)]


def once_for(method, device):
    """The one-call timer of a method: CUDA events for cuda_event on a GPU, else the host clock."""
    return event_once if device.type == "cuda" and method == "cuda_event" else host_once


def event_once(fn, device):
    _flush_l2(device)
    kbh_guard.synchronize(device)
    start, end = kbh_guard.Event(enable_timing=True), kbh_guard.Event(enable_timing=True)
    start.record()
    fn()
    kbh_guard.synchronize(device)  # count work on every stream, not just the default one
    end.record()
    kbh_guard.synchronize(device)
    return start.elapsed_time(end)


def _do_bench(fn, device, trials):
    try:
        from triton.testing import do_bench
    except ImportError:
        raise RuntimeError("timing method do_bench needs triton, which this Python lacks; use cuda_event")
    times = do_bench(fn, warmup=25, rep=100, return_mode="all")
    return list(times)[:trials] if isinstance(times, (list, tuple)) else [float(times)] * trials


def stream_escape_ms(fn, device, threshold_ms=0.05, repeats=4):
    """Time between the default stream finishing and the device finishing one call, less what the same measure reads
    with no call at all: well above zero when the candidate left work on another stream (that would escape a timer
    that only waits for the default stream). One host-clock reading can be off by tens of microseconds on a busy host
    (a real L1 matmul kernel with no stream code read 0.051 ms once), so a reading over threshold_ms is taken again,
    up to `repeats` more times, and the smallest counts: work left on another stream shows in every call."""
    if device.type != "cuda":
        return 0.0
    readings = [_escape_once(fn, device)]
    while readings[-1] > threshold_ms and len(readings) <= repeats:
        readings.append(_escape_once(fn, device))
    return escape_over_baseline(readings, [_escape_once(lambda: None, device) for _ in range(min(len(readings), 3))])


def escape_over_baseline(readings, baseline):
    """The smallest reading less the smallest with nothing to wait for (never below zero)."""
    return max(0.0, min(readings) - min(baseline, default=0.0))


def _escape_once(fn, device):
    with torch.no_grad():
        kbh_guard.synchronize(device)
        start, end = kbh_guard.Event(enable_timing=True), kbh_guard.Event(enable_timing=True)
        t0 = kbh_guard.perf_counter()
        start.record()
        fn()
        end.record()
        end.synchronize()
        t_stream = kbh_guard.perf_counter() - t0
        kbh_guard.synchronize(device)
        t_device = kbh_guard.perf_counter() - t0
    return (t_device - t_stream) * 1000.0


# KernelBench's evaluator (eval_kernel_against_ref with timing_method cuda_event, KernelBench commit 423217d) times
# the candidate and then the reference like this, and kbh's kernelbench timing does the same, step for step:
# - autograd on: its timing runs outside torch.no_grad (its correctness trials run inside it), so a reference whose
#   parameters require grad records its graph in every timed call, while a custom kernel's call records none;
# - warm-up: each call followed by a device synchronize, then the allocator's cache emptied;
# - each trial: synchronize, two new events, the L2 flush as a fresh 256 MiB int64 tensor filled with 42 and dropped
#   (not waited for: the start event is queued behind the fill, so launching the call overlaps the fill), start
#   event, the call, end event on the current stream, then synchronize; the first trial is discarded.
_KB_FLUSH_SHAPE = (32, 1024, 1024)  # int64: 256 MiB, more than an H100's or H200's L2


def kernelbench_warmup(fn, device, warmup):
    """KernelBench's warm-up (autograd on): warmup calls, each followed by a synchronize, then empty_cache."""
    with torch.enable_grad():
        for _ in range(warmup):
            fn()
            if device.type == "cuda":
                kbh_guard.synchronize(device)
    if device.type == "cuda":
        torch.cuda.empty_cache()


def kernelbench_once(fn, device):
    """One KernelBench trial (autograd on). On a CPU: the same call under the saved host clock."""
    with torch.enable_grad():
        if device.type != "cuda":
            start = kbh_guard.perf_counter()
            fn()
            return (kbh_guard.perf_counter() - start) * 1000.0
        kbh_guard.synchronize(device)
        start, end = kbh_guard.Event(enable_timing=True), kbh_guard.Event(enable_timing=True)
        flush = torch.empty(_KB_FLUSH_SHAPE, dtype=torch.int64, device=device)
        flush.fill_(42)
        del flush
        start.record()
        fn()
        end.record()  # on the current stream, before the synchronize: work left on other streams is not counted
        kbh_guard.synchronize(device)
        return start.elapsed_time(end)


# --timing kernelbench asks for its trials in batches (kbh_judge_timing): each batch one request, its first trial
# discarded as KernelBench discards its loop's first, so every kept trial follows a trial of the same loop. 100 is
# KernelBench's whole loop in one request. With batches of 10 (session 20, H100), the first call after each request's
# wait cost launch-bound candidates 0.5-0.7 ms more than a call of nothing: all of it in the discarded trial, outside
# the reported times but inside the judge's clock, so three honest CUDA-L1 kernels were rejected timer_mismatch; once
# per 100 calls it stays inside the judge's allowance.
KB_BATCH = 100


def batch(method):
    """How many timed calls one request asks for under `method` (KernelBench's loop), or None: one per request."""
    return KB_BATCH if method == KERNELBENCH else None


def calibration_batch(method, trials):
    """The batch of nothing the judge calibrates on: as large as the real batches (each trial of it is a synchronize,
    two events and an L2 flush: per-trial costs the calibration must hold as the real batch does), or None."""
    size = batch(method)
    return max(batch_sizes(trials, size), default=size) if size else None


def batch_sizes(trials, size=KB_BATCH):
    """The batches `trials` timed calls are asked for in: as few as hold at most `size` each, of sizes that differ by
    one at most. Never a small last batch: the verdict's times are the batches' means, so a batch of one would weigh as
    much as one of 100, and reporting nothing for it would pass the judge's clock on the larger batch's allowance (a
    red-team review: x2 at 101 trials)."""
    trials = max(trials, 0)
    count = -(-trials // size)
    return [trials // count + (1 if i < trials % count else 0) for i in range(count)] if count else []


def kernelbench_loop(fn, device, n, discard, next_inputs=None):
    """KernelBench's trials back to back in this process: `discard` of them, then `n` kept raw times in ms.
    next_inputs(), when given, runs before each trial, outside its timed interval."""
    times = []
    for _ in range(discard + n):
        if next_inputs is not None:
            next_inputs()
        times.append(kernelbench_once(fn, device))
    return times[discard:]


def kernelbench_calls(fn, device, warmup, trials):
    """KernelBench's whole measurement in one process: warm-up, one discarded trial, then `trials` raw times in ms."""
    kernelbench_warmup(fn, device, warmup)
    return kernelbench_loop(fn, device, trials, 1)


# The judge times the reference after waiting out a candidate's check; KernelBench's process times it right after the
# candidate's own 100 trials. On the CPU (this repository's CI machine) the first 20-60 trials of a loop started after
# such a wait took 50-200 us instead of 20 (L1/1's sample, x*2+1): the reference's mean came out 1.6-2.2x the same
# code's in the candidate's process. So the judge runs the loop untimed first: as many calls as KernelBench's loop, or
# as many as start within WARM_HOST_S (at least one; the last may end after it): a long call is not launch-bound.
WARM_HOST_S = 0.25


def warm_host_loop(fn, device, calls=KB_BATCH, limit_s=None):
    """KernelBench's trials (flush, events, the call, synchronize), untimed: `calls` of them, or those that start within
    limit_s (default WARM_HOST_S), at least one. Returns how many ran."""
    limit_s = WARM_HOST_S if limit_s is None else limit_s
    start, ran = kbh_guard.perf_counter(), 0
    while ran < calls and (ran == 0 or kbh_guard.perf_counter() - start < limit_s):
        kernelbench_once(fn, device)
        ran += 1
    return ran


def describe(method, order, device):
    """How this check's times were taken, in words, for the verdict's timing_check."""
    if method == KERNELBENCH:
        how = "KernelBench's cuda_event flow: autograd on, warm-up calls each synchronized then empty_cache, one " \
              "discarded trial, per trial a fresh 256 MiB L2 flush, events around the call on the current stream; " \
              f"the candidate's trials back to back in its process, up to {KB_BATCH} per request after one discarded"
        if device.type != "cuda":
            how += " (on a CPU: the same calls under the host clock, no events, no flush)"
    elif device.type != "cuda":
        how = f"{method} on a CPU: the host clock around each call, under no_grad"
    elif method == "cuda_event":
        how = "cuda_event: L2 flushed, the whole device synchronized before the end event, under no_grad"
    else:
        how = f"{method}, under no_grad"
    if order == "interleaved":
        where = "the reference timed beside each trial (AB BA)"
    elif method == KERNELBENCH:
        where = "the reference timed with the same loop right after the candidate's check, in the judge's " \
                "process, once the candidate's process has ended, after the loop ran once untimed (the host warm " \
                "as KernelBench's process is after the candidate's trials)"
    else:
        where = "the reference timed separately, once per problem, in the judge's process"
    return f"{how}; {where}"
