"""The reference and check jobs: KernelBench's correctness semantics plus the runtime hack checks."""
import contextlib
import gc
import os
import time

import torch

import kbh_files
import kbh_gpu_turn
import kbh_guard
import kbh_hacks
import kbh_init_memo
import kbh_load
import kbh_pinned
import kbh_tensors
import kbh_timing


class Reference:
    """The reference's outputs (kept on the device) for every trial and its raw times, measured once per problem and settings."""

    def __init__(self, outputs, times_ms, aliases_input, phase_seconds=None, model=None, timing_output=None,
                 start_beside=False, timed_after=False):
        self.outputs = outputs
        self.timing_output = timing_output  # for the timing inputs: the judge's spot check of a timed call
        self.times_ms = times_ms
        self.aliases_input = aliases_input
        self.phase_seconds = phase_seconds or {}
        self.model = model  # kept on the device for timing_order: interleaved or timed_after, else None
        self.timed_after = timed_after  # timed again right after each candidate's trials (KernelBench's order)
        self.start_beside = start_beside  # its timed calls did not get the GPU's quiet lock (kbh_gpu_turn.timed)

    @property
    def timed_beside(self):
        """Whether each candidate's timed calls alternate with the reference's (timing_order: interleaved)."""
        return self.model is not None and not self.timed_after


_inputs = {"key": None, "by_seed": {}, "sealed": {}}


def trial_inputs(problem, seed, device, dtype, on_device=False):
    """get_inputs() under the trial's seed, on the CPU as KernelBench makes them, made once per problem and seed (large
    Level 1 inputs take seconds) and kept in host memory; every call gets its own fresh copy on the device.
    on_device (settings' inputs: device): made on the GPU itself under the same seed, afresh for every call (milliseconds,
    and nothing kept): the same distributions with other values than the CPU's generator gives."""
    if on_device and device.type == "cuda":
        if not hasattr(torch.device, "__enter__"):
            raise RuntimeError("inputs: device needs PyTorch 2.0 or newer (torch.device as a context manager); "
                               f"this worker has torch {torch.__version__}: use inputs: cpu")
        kbh_load.set_seed(seed)
        with torch.device(device):
            values = problem.get_inputs()
        return kbh_load.to_device(values, device, dtype)
    return [t.to(device=device, copy=True) if isinstance(t, torch.Tensor) else t
            for t in _host_inputs(problem, seed, device, dtype)]


def _host_inputs(problem, seed, device, dtype):
    """The kept host copy of one seed's inputs (made on first use), page-locked in place when they are for a GPU and
    fit kbh_pinned's limit, so that every trial's copy inside the GPU turn runs at the bus's speed."""
    _switch_problem(problem, dtype)
    if seed not in _inputs["by_seed"]:
        kbh_load.set_seed(seed)
        with kbh_init_memo.fast_draws():  # the same values; large torch.randn/rand drawn on all the worker's cores
            values = problem.get_inputs()
        values = kbh_load.to_device(values, "cpu", dtype)
        _check_handable(values)
        if device.type != "cuda":
            # Kept in sealed memfds, mapped read-only here: candidate processes get the same pages, and nobody can
            # write them (kbh_tensors); the judge's own trials copy them like a candidate's. On a GPU they go over in
            # GPU memory (kbh_handover) and are sealed only if that fails (sealed_inputs): copying every seed's inputs
            # into memfds cost the reference job 0.18 s per candidate on an H100 (session 16).
            specs, fds = _sealed(values)
            values = kbh_tensors.unpack(specs, fds, readonly=True)
            _inputs["sealed"][seed] = (specs, fds)
        kbh_pinned.register_kept(values, device)  # page-locked in place until the worker moves to another problem
        _inputs["by_seed"][seed] = values
    return _inputs["by_seed"][seed]


def _switch_problem(problem, dtype):
    key = (id(problem), str(dtype))
    if _inputs["key"] != key:
        forget_inputs()
        _inputs["key"] = key


def _sealed(values):
    _check_handable(values)
    return kbh_tensors.pack(values, "kbh-in", seal=True)


def _check_handable(values):
    for i, v in enumerate(values):
        if isinstance(v, torch.Tensor) and v.dtype not in kbh_tensors.DTYPES.values():
            raise RuntimeError(f"input {i} of get_inputs() has dtype {v.dtype}, which cannot be handed to a "
                               "candidate's process")
        if not isinstance(v, torch.Tensor) and not kbh_tensors.plain(v):
            raise RuntimeError(f"input {i} of get_inputs() is a {type(v).__name__}: only tensors and numbers can be "
                               "handed to a candidate's process")


def sealed_inputs(problem, seed, device, dtype, on_device=False):
    """(specs, fds) of one seed's inputs for a candidate process: the kept host copy's sealed memfds, or for inputs:
    device the values made on the device under that seed, copied once into sealed memfds of their own."""
    if on_device and device.type == "cuda":
        _switch_problem(problem, dtype)
        if seed not in _inputs["sealed"]:
            _inputs["sealed"][seed] = _sealed(trial_inputs(problem, seed, device, dtype, on_device=True))
        return _inputs["sealed"][seed]
    values = _host_inputs(problem, seed, device, dtype)
    if seed not in _inputs["sealed"]:  # a GPU's kept inputs, when GPU memory cannot be shared
        _inputs["sealed"][seed] = _sealed(values)
    return _inputs["sealed"][seed]


def seed_values(problem, seed, device, dtype, on_device=False):
    """One seed's inputs to hand a candidate process in GPU memory (kbh_handover): the kept, page-locked host copy, or
    for inputs: device the values made on the device under that seed (the same values every time)."""
    if on_device and device.type == "cuda":
        return trial_inputs(problem, seed, device, dtype, on_device=True)
    return _host_inputs(problem, seed, device, dtype)


def forget_inputs():
    """Drops the kept inputs (another problem next), unlocking their pages first."""
    kbh_pinned.release()
    for _, fds in _inputs["sealed"].values():
        for fd in fds:
            os.close(fd)
    _inputs["key"], _inputs["by_seed"], _inputs["sealed"] = None, {}, {}


def init_inputs(problem, seed, device, dtype):
    kbh_load.set_seed(seed)
    return kbh_load.to_device(problem.get_init_inputs(), device, dtype)


def prepare_inputs(problem, seeds, device, dtype, on_device):
    """Makes the CPU inputs of every seed ahead (host work, outside the GPU turn); nothing to do for inputs: device."""
    if not (on_device and device.type == "cuda"):
        for seed in seeds:
            _host_inputs(problem, seed, device, dtype)


def run_reference(problem, req, device, dtype, turn=None, memo=None):
    """The reference's outputs for every trial and its times. Constructing the model and making CPU inputs happen
    before the GPU turn is taken (turn: kbh_gpu_turn.GpuTurn), the rest inside it. memo (kbh_init_memo.InitMemo)
    records the construction's large weight fills for the candidates' constructions."""
    clock = PhaseClock(device)
    on_device = req.get("inputs") == "device"
    seeds = kbh_load.trial_seeds(req["seed"], req["correctness_trials"])
    model = kbh_load.construct_model(problem.Model, init_inputs(problem, req["seed"], device, dtype), req["seed"],
                                     memo.recording() if memo else None)
    clock.lap("model.init")
    # The weights' own memory page-locked for the copy inside the turn, unlocked after it (kbh_pinned).
    with kbh_pinned.register_module(model, device):
        clock.lap("model.stage")
        prepare_inputs(problem, seeds + [req["seed"]], device, dtype, on_device)
        clock.lap("inputs")
        with turn or contextlib.nullcontext():
            clock.lap("gpu_wait")
            model = kbh_load.place_model(model, device, dtype)
            if req.get("compile_mode"):  # kbh baseline --compile: KernelBench's torch.compile baselines
                model = kbh_load.compile_model(model, req["compile_mode"])
            clock.lap("model.to_device")
            outputs, aliases = [], False
            with torch.no_grad():
                for seed in seeds:
                    inputs = trial_inputs(problem, seed, device, dtype, on_device)
                    clock.lap("inputs")
                    out = model(*inputs)
                    aliases = aliases or kbh_hacks._overlap(kbh_hacks._storages(kbh_hacks.flatten(out)),
                                                            kbh_hacks._storages(inputs))
                    # Kept alive on the device: memory holding a reference result is never free for a candidate to find.
                    outputs.append([t.detach() if isinstance(t, torch.Tensor) else t for t in kbh_hacks.flatten(out)])
                    del out, inputs
                    clock.lap("outputs")
                times, start_beside = [], False
                inputs = trial_inputs(problem, req["seed"], device, dtype, on_device)
                clock.lap("inputs")
                # The output for the timing inputs: the judge compares a timed call of the candidate's with it.
                timing_output = [t.detach() if isinstance(t, torch.Tensor) else t
                                 for t in kbh_hacks.flatten(model(*inputs))]
                clock.lap("outputs")
                if req.get("measure_performance", True):
                    with turn.timed() if turn is not None else kbh_gpu_turn.Bounded() as quiet:  # no start beside
                        clock.lap("quiet_wait")
                        times = kbh_timing.time_calls(lambda: model(*inputs), device, req["timing_method"],
                                                      req["warmup"], req["perf_trials"])
                    start_beside = not quiet.held
                    clock.lap("timing")
                del inputs
            # Kept: timed beside each candidate (interleaved), or right after each candidate's trials (KernelBench's
            # timing: its process times the reference after the candidate, time_reference_after).
            after = req.get("timing_method") == kbh_timing.KERNELBENCH and req.get("timing_order") != "interleaved"
            kept = model if req.get("timing_order") == "interleaved" or after else None
            del model
            outputs = keep_outputs(outputs + [timing_output], device)
            timing_output = outputs.pop()
            clock.lap("keep_outputs")
            if not (turn is not None and turn.releases_memory):  # else leaving the turn poisons (and hands back) it all
                poison_freed_memory(device)
                clock.lap("poison")
        clock.lap("turn_end")
    clock.lap("model.unstage")
    return Reference(outputs, times, aliases, clock.seconds, kept, timing_output, start_beside, timed_after=after)


# Reference outputs larger than this share of the GPU's memory wait on the host: two workers on one GPU each keeping
# five gigabyte-sized Level 1 outputs there can leave too little room for the other's check (CUDA out of memory). A
# quarter each leaves half the GPU to the check on the GPU. (An eighth, session 4, sent L1/7's and L1/9's 21 GB to
# the host of an H200: copying them took 14 s inside the GPU turn, while the other worker waited.)
_DEVICE_OUTPUTS_SHARE = 4


def keep_outputs(outputs, device):
    """The reference's outputs where they are kept between checks: on the device, or in host memory when they take
    more than 1/_DEVICE_OUTPUTS_SHARE of it (compare() copies each back for its trial). The device copies are freed
    before poison_freed_memory runs, so no candidate finds them."""
    if device.type != "cuda":
        return outputs
    size = sum(t.numel() * t.element_size() for trial in outputs for t in trial if isinstance(t, torch.Tensor))
    if size * _DEVICE_OUTPUTS_SHARE <= torch.cuda.get_device_properties(device).total_memory:
        return outputs
    # The host may be short too (the CPU inputs of every seed are kept there): then they stay on the device, where
    # running out of memory is an error that names its cause, not a worker killed by the kernel's OOM killer.
    if size + _HOST_MARGIN_BYTES > _host_available_bytes():
        return outputs
    return [[t.cpu() if isinstance(t, torch.Tensor) else t for t in trial] for trial in outputs]


_HOST_MARGIN_BYTES = 8 << 30


def _host_available_bytes():
    """MemAvailable; unbounded where it cannot be read."""
    available = kbh_files.meminfo_bytes("MemAvailable")
    return float("inf") if available is None else available


def release_device_memory(device):
    """At the end of a GPU turn: poisons what the allocator keeps cached, then hands it back to the driver."""
    if device.type != "cuda":
        return
    poison_freed_memory(device, young_only=True)
    torch.cuda.empty_cache()


class PhaseClock:
    """Seconds per phase of a job (summed over repeats), for the verdict to say where a check's time went. Each lap
    ends with the device synchronized, so GPU work is booked to the phase that queued it."""

    def __init__(self, device):
        self._device = device
        self._last = time.perf_counter()
        self.seconds = {}

    def lap(self, name):
        if self._device.type == "cuda":
            kbh_guard.synchronize(self._device)
        now = time.perf_counter()
        self.seconds[name] = round(self.seconds.get(name, 0.0) + now - self._last, 4)
        self._last = now


def time_reference_after(ref, req, device, dtype, turn):
    """KernelBench's process times the reference right after the candidate, with the same loop: so does the judge,
    in its own process, once the candidate's process has ended (so no work of it, a thread or a kernel left queued,
    runs beside the reference's timed calls and lengthens them). Timed once per problem at its start instead, after
    the model's construction on the host with the GPU idle, launch-bound references came out up to 4x slower than
    KernelBench's while the candidates' times matched (session 22, H100); timed right after the check, they still were
    (session 23), and on the CPU the reference's loop came out 1.6-2.2x slower than the same code's in the candidate's
    process until the loop ran once untimed first (kbh_timing.warm_host_loop). Returns (times in ms, seconds taken)."""
    assert req["timing_method"] == kbh_timing.KERNELBENCH, "only KernelBench's timing times the reference after"
    start = time.perf_counter()
    inputs = trial_inputs(ref.problem, req["seed"], device, dtype, req.get("inputs") == "device")

    def call():
        return ref.model(*inputs)
    with turn, turn.timed():  # the GPU's turn and no process's start beside the timed calls
        with torch.no_grad():  # (KernelBench's loop turns autograd on for its calls, as its evaluator does)
            kbh_timing.warm_host_loop(call, device)  # (the host warm, as KernelBench's is after the candidate's trials)
            times = kbh_timing.kernelbench_calls(call, device, req["warmup"], req["perf_trials"])
    del inputs
    return times, time.perf_counter() - start


def poison_freed_memory(device, young_only=False):
    """Fills memory the reference freed with NaN, so a candidate that returns uninitialised memory (torch.empty) cannot
    pick up the reference's result from it.

    young_only: inside a GPU turn, which collected everything just before it started (kbh_gpu_turn): only the young
    generations are collected here. An old object that became cyclic garbage during the turn keeps its memory
    allocated, so no allocation can hand it out unpoisoned; the next turn's collection frees it into this worker's
    cache, and that turn's poisoning fills it before any candidate runs."""
    if young_only:
        gc.collect(1)
    else:
        gc.collect()
    if device.type != "cuda":
        return
    blocks = []
    index = device.index if device.index is not None else torch.cuda.current_device()
    try:
        for segment in torch.cuda.memory_snapshot():
            if segment.get("device") != index:
                continue
            for block in segment.get("blocks", []):
                if block.get("state") == "inactive" and block.get("size", 0) >= 512:
                    blocks.append(block["size"])
        held = [torch.full((size // 4,), float("nan"), dtype=torch.float32, device=device) for size in blocks]
        kbh_guard.synchronize(device)
        del held
    except RuntimeError:
        pass


_COMPARE_PART = 1 << 27  # elements compared at a time: the temporaries stay near 1.5 GB whatever the output's size


def _compare_tensor(r, o, atol, rtol):
    """(non-finite where the reference is finite, all close, max |diff|, mean |diff|) of two tensors of one shape and
    dtype; on the GPU when either is there (a reference kept in host memory comes over part by part)."""
    device = o.device if o.device.type == "cuda" else r.device
    r, o = r.reshape(-1), o.reshape(-1)
    wide = torch.float64 if o.dtype == torch.float64 else torch.float32
    bad, close, worst, total = 0, True, 0.0, 0.0
    for begin in range(0, o.numel(), _COMPARE_PART):
        rp, op = r[begin:begin + _COMPARE_PART].to(device), o[begin:begin + _COMPARE_PART].to(device)
        finite_o, finite_r = kbh_guard.isfinite(op), kbh_guard.isfinite(rp)
        bad += int(((~finite_o) & finite_r).sum())
        diff = op.to(wide) - rp.to(wide)
        kbh_guard.abs_(diff, out=diff)
        ok = diff <= kbh_guard.abs_(op.to(wide)).mul_(rtol).add_(atol)
        ok &= finite_o & finite_r  # an infinity is close only to itself (+inf is not within inf of -inf)
        ok |= (op == rp) | (torch.isnan(op) & torch.isnan(rp))
        close = close and bool(ok.all())
        del ok, finite_o, finite_r
        diff.nan_to_num_(nan=0.0, posinf=0.0, neginf=0.0)
        if diff.numel():
            worst, total = max(worst, float(diff.max())), total + float(diff.sum(dtype=torch.float64))
        del diff, rp, op
    return bad, close, worst, (total / o.numel() if o.numel() else 0.0)


def compare(ref, out, atol, rtol):
    """None when out matches ref, else (reason, max_abs_diff, mean_abs_diff).

    torch.allclose(ref, out) semantics (|ref - out| <= atol + rtol * |out|, NaN equal to NaN), computed with the
    worker's saved functions, in parts, so gigabyte-sized Level 1 outputs fit beside their inputs on the GPU."""
    refs, outs = ref, kbh_hacks.flatten(out)
    if len(refs) != len(outs):
        return f"expected {len(refs)} output(s), got {len(outs)}", None, None
    worst = (0.0, 0.0)
    for i, (r, o) in enumerate(zip(refs, outs)):
        if not isinstance(r, torch.Tensor):
            if r != o:
                return f"output {i}: expected {r!r}, got {o!r}", None, None
            continue
        if not isinstance(o, torch.Tensor):
            return f"output {i}: expected a tensor, got {type(o).__name__}", None, None
        if tuple(o.shape) != tuple(r.shape):
            return f"output {i}: shape mismatch: expected {tuple(r.shape)}, got {tuple(o.shape)}", None, None
        if o.dtype != r.dtype:
            return f"output {i}: dtype mismatch: expected {r.dtype}, got {o.dtype}", None, None
        bad_nonfinite, close, max_diff, mean_diff = _compare_tensor(r, o.detach(), atol, rtol)
        worst = (max(worst[0], max_diff), max(worst[1], mean_diff))
        if bad_nonfinite:
            return f"output {i}: NaN or Inf in {bad_nonfinite} element(s) where the reference is finite", \
                float("inf"), mean_diff
        if not close:
            return f"output {i}: values differ beyond atol={atol:g} rtol={rtol:g} (max abs diff {max_diff:.3g}, " \
                   f"mean {mean_diff:.3g})", max_diff, mean_diff
    return None, worst[0], worst[1]
