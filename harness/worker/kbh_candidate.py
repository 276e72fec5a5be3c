"""The check job for one candidate: correctness trials with the runtime hack checks, then timing."""
import contextlib

import torch

import kbh_check
import kbh_guard
import kbh_hacks
import kbh_load
import kbh_pinned
import kbh_timing


def check(module, problem, reference, req, device, dtype, turn=None, memo=None):
    """Constructs ModelNew on the host (KernelBench's seeded CPU initialisation; memo, a kbh_init_memo.InitMemo,
    copies in the weight fills the reference made from the same generator state), then, inside the GPU turn
    (kbh_gpu_turn.GpuTurn), moves it to the device, checks and times it."""
    result = {"findings": [], "status": "correct", "reason": ""}
    findings = result["findings"]
    seed = req["seed"]
    threads_before = req.get("threads_before", kbh_guard.active_threads())

    clock = kbh_check.PhaseClock(device)
    result["phase_seconds"] = clock.seconds
    findings += kbh_hacks.patched_functions("at import")
    init = kbh_check.init_inputs(problem, seed, device, dtype)
    model = kbh_load.construct_model(module.ModelNew, init, seed, memo.replaying() if memo else None)
    clock.lap("model.init")
    findings += kbh_hacks.patched_functions("while constructing ModelNew")
    with kbh_pinned.register_module(model, device):  # the turn then copies the weights at the bus's speed
        clock.lap("model.stage")
        with turn or contextlib.nullcontext():
            clock.lap("gpu_wait")
            model = kbh_load.place_model(model, device, dtype)
            clock.lap("model.to_device")
            _check_on_device(model, problem, reference, req, device, dtype, result, clock, in_turn=turn is not None)
            del model  # before the turn ends: its memory is poisoned and handed back with the rest
        clock.lap("turn_end")  # the poisoning and hand-back as the turn ends, still holding the GPU
    clock.lap("model.unstage")  # the weights' pages unlocked, after the turn
    findings += kbh_hacks.extra_threads(threads_before)
    if result["status"] == "correct" and _rejected(findings):
        result.update(status="rejected", reason=_first_reject(findings))
    return result


def _check_on_device(model, problem, reference, req, device, dtype, result, clock, in_turn=False):
    """Correctness trials with the runtime hack checks, then timing; sets result's status on the first failure.
    in_turn: inside a kbh_gpu_turn.GpuTurn, which has just collected the garbage."""
    findings = result["findings"]
    seed = req["seed"]
    # Memory the previous candidate or trial freed may hold a correct result (an earlier output, an input that equals
    # the answer): poison it, so a candidate returning torch.empty cannot pass on someone else's work.
    kbh_check.poison_freed_memory(device, young_only=in_turn)
    clock.lap("poison")
    earlier = []
    worst_max, worst_mean = 0.0, 0.0
    on_device = req.get("inputs") == "device"
    with torch.no_grad():
        for trial, trial_seed in enumerate(kbh_load.trial_seeds(seed, req["correctness_trials"])):
            inputs = kbh_check.trial_inputs(problem, trial_seed, device, dtype, on_device)
            snapshots = [kbh_guard.clone(t) if isinstance(t, torch.Tensor) else t for t in inputs]
            clock.lap("inputs")
            out = model(*inputs)
            if device.type == "cuda":
                kbh_guard.synchronize(device)
            findings += kbh_hacks.patched_functions(f"during forward() (trial {trial})")
            findings += kbh_hacks.non_plain_outputs(out)
            findings += kbh_hacks.aliasing(out, inputs, reference.aliases_input)
            findings += kbh_hacks.mutated_inputs(inputs, snapshots)
            findings += kbh_hacks.memoised(out, earlier)
            findings += kbh_hacks.stream_left_switched(device)
            if _rejected(findings):
                result.update(status="rejected", reason=_first_reject(findings), failed_trial=trial)
                return
            reason, max_diff, mean_diff = kbh_check.compare(reference.outputs[trial], out, req["atol"], req["rtol"])
            if max_diff is not None:
                worst_max, worst_mean = max(worst_max, max_diff), max(worst_mean, mean_diff)
            if reason is not None:
                result.update(status="incorrect", reason=f"trial {trial}: {reason}", failed_trial=trial,
                              max_abs_diff=max_diff, mean_abs_diff=mean_diff)
                escaped = _side_stream_race(model, inputs, device)
                if escaped:  # the mismatch is a side stream racing the default one: say that, not "wrong values"
                    findings += escaped
                    result.update(status="rejected", reason=f"{_first_reject(escaped)} (trial {trial} also differed "
                                                            f"from the reference: {reason})")
                return
            del snapshots
            earlier = [out]  # the previous output stays alive: a later call returning its storage is caching
            clock.lap("correctness")
        result.update(max_abs_diff=worst_max, mean_abs_diff=worst_mean)

        # Same inputs twice: a result that is the very same storage twice is a cached one.
        del earlier
        inputs = kbh_check.trial_inputs(problem, seed, device, dtype, on_device)
        first = model(*inputs)
        findings += kbh_hacks.memoised(model(*inputs), [first])
        del first
        clock.lap("validators")

        if req.get("measure_performance", True):
            if reference.model is not None:  # timing_order: interleaved, the reference beside the candidate
                ref_inputs = kbh_check.trial_inputs(problem, seed, device, dtype, on_device)
                result["times_ms"], result["paired_ref_times_ms"] = kbh_timing.time_pairs(
                    lambda: model(*inputs), lambda: reference.model(*ref_inputs), device, req["timing_method"],
                    req["warmup"], req["perf_trials"])
                del ref_inputs
            else:
                result["times_ms"] = kbh_timing.time_calls(lambda: model(*inputs), device, req["timing_method"],
                                                           req["warmup"], req["perf_trials"])
            escape = kbh_timing.stream_escape_ms(lambda: model(*inputs), device)
            findings += kbh_hacks.stream_escape(escape, min(result["times_ms"]) if result["times_ms"] else 0.0)
            clock.lap("timing")
        findings += kbh_hacks.patched_functions("while timing")


def _side_stream_race(model, inputs, device, probes=3):
    """Findings when an incorrect candidate leaves work on another stream: its kernels race the default stream's
    writes (inputs made on the GPU are still being written when an unsynchronised side stream reads them), so the
    comparison fails before the timing-time stream check is reached. Every probe must see the escape (no jitter)."""
    if device.type != "cuda":
        return []
    try:
        escape = min(kbh_timing.stream_escape_ms(lambda: model(*inputs), device) for _ in range(probes))
    except Exception:  # a candidate that fails when called again keeps its incorrect verdict
        return []
    return kbh_hacks.stream_escape(escape, 0.0)


def _rejected(findings):
    return any(f["severity"] == "reject" for f in findings)


def _first_reject(findings):
    return next(f"{f['rule']}: {f['message']}" for f in findings if f["severity"] == "reject")
