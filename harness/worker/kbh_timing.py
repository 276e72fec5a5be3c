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


def time_calls(fn, device, method, warmup, trials):
    """Runs fn() warmup times, then returns `trials` raw times in ms (one more is run and discarded first on CUDA)."""
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


def stream_escape_ms(fn, device):
    """Time between the default stream finishing and the device finishing one call: well above zero when the
    candidate left work on another stream (that would escape a timer that only waits for the default stream)."""
    if device.type != "cuda":
        return 0.0
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
