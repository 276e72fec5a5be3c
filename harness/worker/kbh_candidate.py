"""The check job, judge side: the candidate runs in its own process (kbh_runner); here only the judge's code runs.

The judge sends the candidate process its inputs (sealed memfds), gets its outputs back as bytes, compares them with
its own reference outputs (kbh_check.compare), times the reference itself, and checks the candidate's self-reported
times against its own clock and the process's CPU time. Findings the candidate process reports are marked
"self_reported": true; which findings reject is the policy's (kbh_policy): under `evidence`, a fallback the process saw
run rejects, although a candidate could hide it; correctness and the judge's timing evidence never depend on them.
"""
import contextlib
import random
import re
import time

import torch

import kbh_check
import kbh_evidence
import kbh_fast_fill
import kbh_files
import kbh_gpu_turn
import kbh_guard
import kbh_hacks
import kbh_handover
import kbh_load
import kbh_policy
import kbh_spawn
import kbh_stale
import kbh_tensors
import kbh_timing

_perf = kbh_guard.perf_counter
_SETTLE_S = kbh_evidence.SETTLE_S


def check(proc, problem, reference, req, device, dtype, turn=None, memo=None):
    """The correctness trials and the timing of the candidate loaded in proc (a kbh_spawn.CandidateProcess).
    Raises kbh_spawn.CandidateFailed when the candidate process fails; the caller turns that into the verdict."""
    result = {"findings": [], "status": "correct", "reason": ""}
    policy = result["policy"] = kbh_policy.name(req)
    clock = kbh_check.PhaseClock(device)
    result["phase_seconds"] = clock.seconds
    seed = req["seed"]
    for entries, fds in (memo.handover() if memo is not None else ()):  # the reference's weight fills, to replay
        proc.call("memo", fds=fds, entries=entries)
    init_specs, init_fds = kbh_tensors.pack(kbh_check.init_inputs(problem, seed, torch.device("cpu"), dtype),
                                            "kbh-init", seal=True)
    try:
        answer, _ = proc.call("construct", fds=init_fds, init=init_specs, seed=seed, device=str(device),
                              precision=req.get("precision", "fp32"), host_cpus=kbh_fast_fill.host_cores())
    finally:
        kbh_files.close_all(init_fds)
    _add(result, answer.get("findings"))
    clock.lap("model.init")
    on_device = req.get("inputs") == "device"
    seeds = kbh_load.trial_seeds(seed, req["correctness_trials"])
    inputs = kbh_handover.Inputs(proc, problem, device, dtype, on_device)
    inputs.up_front(list(dict.fromkeys(seeds + [seed])))
    clock.lap("inputs")
    answered = False  # (a process that failed is not asked again: it may be hanging)
    try:
        with turn or contextlib.nullcontext():
            proc.extend(turn.waited_s if turn is not None else 0.0)
            if device.type == "cuda":  # what the judge's allocator keeps cached is the candidate process's to use now
                torch.cuda.empty_cache()
            clock.lap("gpu_wait")
            proc.call("to_device")
            clock.lap("model.to_device")
            try:
                if not _correctness(proc, reference, req, seeds, result, clock, inputs, device):
                    answered = True
                    return _decide(policy, result)
                if req.get("measure_performance", True):
                    # The timed calls wait for any process's start on this GPU (kbh_gpu_turn.timed): a spare's
                    # CUDA context is GPU work of another process.
                    with turn.timed() if turn is not None else kbh_gpu_turn.Bounded() as quiet:
                        proc.extend(quiet.waited_s)  # the judge's wait
                        clock.lap("quiet_wait")
                        inputs.before(seed)
                        _timing(proc, problem, reference, req, device, dtype, on_device, result, clock)
                    if not quiet.held:  # (the record says so: a start may have run beside them)
                        result.setdefault("timing_check", {})["start_beside"] = True
                    if req.get("expects_kernel"):  # (on a CPU it only says that there are no kernel records)
                        # After the timing: the profiler's CUPTI stays attached to the process once started, and made
                        # every later launch slower (L1/19 on an H100: 7.1 us against KernelBench's 4.7 us).
                        answer, _ = proc.call("kernels")
                        _add(result, answer.get("findings"))
                        _evidence(result, answer)
                answered = True
            finally:
                result.setdefault("timing_check", {}).update(inputs.record())
                inputs.close()
    finally:
        if answered:  # after the GPU turn, with a short deadline of its own: a slow answer holds nothing up
            _said_seconds(proc, result)
    return _decide(policy, result)


_SAID_WITHIN_S = 2.0
_SAID_NAME = re.compile(r"[A-Za-z0-9_.]{1,40}")  # the runner's own op names; nothing else reaches a verdict


def _said_seconds(proc, result):
    """The candidate process's own account of where its time went, as candidate_said.* phases: self-reported, so
    only for reading where a check's time goes (numbers only, bounded; a process that cannot answer adds nothing)."""
    try:
        said = proc.call("seconds", within_s=_SAID_WITHIN_S)[0].get("seconds")
    except Exception:  # (CandidateFailed, or anything odd: it only says where time went, never the verdict)
        return
    if not isinstance(said, dict):
        return
    for name, value in list(said.items())[:40]:
        if isinstance(name, str) and _SAID_NAME.fullmatch(name) and type(value) in (int, float) and 0 <= value < 1e6:
            result["phase_seconds"]["candidate_said." + name] = round(float(value), 4)


def _decide(policy, result):
    """The policy's verdict on the findings: a correct candidate with a rejecting finding is rejected; an incorrect
    one only for a stale output (its wrong answer is an earlier call's)."""
    kbh_policy.apply(policy, result["findings"])
    rejects = [f for f in result["findings"] if f["action"] == "reject"
               and (result["status"] == "correct" or f["rule"] == "stale_output" and result["status"] == "incorrect")]
    if rejects:
        # The judge's own evidence first; what the candidate's process said of itself after.
        first = sorted(rejects, key=lambda f: bool(f.get("self_reported")))[0]
        result.update(status="rejected", reason=f"{first['rule']}: {first['message']}")
    return result


def _correctness(proc, reference, req, seeds, result, clock, inputs, device):
    worst_max, worst_mean = 0.0, 0.0
    earlier = []  # fingerprints of the candidate's outputs of the trials before
    result.setdefault("evidence", {})["stale_output"] = "judge: each trial's output against the earlier trials' outputs"
    for trial, trial_seed in enumerate(seeds):
        inputs.before(trial_seed)
        clock.lap("inputs")
        answer, fds = proc.call("trial", keep_fds=True, seed=trial_seed, trial=trial,
                                reference_aliases=reference.aliases_input,
                                expects_kernel=bool(req.get("expects_kernel"))
                                and not req.get("measure_performance", True))  # else profiled after the timing
        _evidence(result, answer)
        clock.lap("correctness")
        inputs.saw_outputs(answer.get("outputs"))
        outputs, problem_text = _read_outputs(answer, fds, reference.outputs[trial], device)
        _add(result, answer.get("findings"))
        reason, max_diff, mean_diff = (problem_text, None, None) if problem_text else \
            kbh_check.compare(reference.outputs[trial], outputs, req["atol"], req["rtol"])
        mark = kbh_stale.fingerprint(outputs) if outputs is not None else None
        if reason is not None and mark is not None and mark in earlier:
            result["findings"].append(kbh_stale.finding(trial, earlier.index(mark)))
        earlier.append(mark)
        del outputs
        if max_diff is not None:
            worst_max, worst_mean = max(worst_max, max_diff), max(worst_mean, mean_diff)
        if reason is not None:
            result.update(status="incorrect", reason=f"trial {trial}: {reason}", failed_trial=trial,
                          max_abs_diff=max_diff, mean_abs_diff=mean_diff)
            return False
        clock.lap("compare")
    result.update(max_abs_diff=worst_max, mean_abs_diff=worst_mean)
    return True


def _read_outputs(answer, fds, reference_outputs, device):
    """The candidate's outputs as the judge's own tensors, or (None, why) when they are not honest data."""
    specs = answer.get("outputs")
    fds = list(fds)
    try:
        if not isinstance(specs, list) or sum(1 for s in specs if isinstance(s, dict) and s.get("kind") == "tensor") \
                != len(fds):
            return None, "the candidate process sent outputs that do not match their descriptions"
        # Count, dtype and shape against the reference's before a byte is copied: a candidate cannot make the judge
        # allocate more than the reference's own outputs take.
        if len(specs) != len(reference_outputs):
            return None, f"expected {len(reference_outputs)} output(s), got {len(specs)}"
        values = []
        for i, (spec, ref) in enumerate(zip(specs, reference_outputs)):
            kind = spec.get("kind")
            if kind == "tensor":
                if not isinstance(ref, torch.Tensor):
                    return None, f"output {i}: expected {ref!r}, got a tensor"
                if spec.get("shape") != list(ref.shape):
                    shape = spec.get("shape") if isinstance(spec.get("shape"), list) else []
                    return None, f"output {i}: shape mismatch: expected {tuple(ref.shape)}, got {tuple(shape[:8])}"
                if spec.get("dtype") != str(ref.dtype).replace("torch.", ""):
                    return None, (f"output {i}: dtype mismatch: expected {ref.dtype}, "
                                  f"got torch.{str(spec.get('dtype'))[:20]}")
                values.append(kbh_tensors.read_copy(fds.pop(0), spec, _nbytes(ref), ref.device, gpu=device))
            elif kind == "value":
                try:
                    values.append(kbh_tensors.decode_value(spec.get("value")))
                except (RecursionError, TypeError, ValueError, AttributeError):
                    return None, f"output {i} is a malformed value"
            else:
                return None, f"output {i} is a {str(spec.get('type'))[:60]}, not a tensor or a number"
        return values, None
    except kbh_tensors.BadTensor as e:
        return None, f"the candidate process sent a malformed output: {e}"
    finally:
        kbh_files.close_all(fds)


def _nbytes(t):
    return t.numel() * t.element_size() if isinstance(t, torch.Tensor) else 0


def _timing(proc, problem, reference, req, device, dtype, on_device, result, clock):
    method, trials, warmup = req["timing_method"], req["perf_trials"], req["warmup"]
    interleaved = reference.model is not None
    if method == "do_bench" and not interleaved:
        return _timing_batch(proc, req, result, clock)
    if interleaved and method not in ("cuda_event", "host_time"):
        raise RuntimeError(f"interleaved timing takes the cuda_event or host_time method, not {method}")
    skip = 1 if device.type == "cuda" and method == "cuda_event" else 0
    wanted = _fresh_copies(result, trials + skip)
    warm_start = _perf()
    made = int(proc.call("warmup", seed=req["seed"], n=warmup, fresh_copies=wanted)[0].get("fresh_copies") or 0)
    ref_inputs = None
    if interleaved:
        ref_inputs = kbh_check.trial_inputs(problem, req["seed"], device, dtype, on_device)
        with torch.no_grad():
            for _ in range(warmup):
                reference.model(*ref_inputs)
    # (within.*: parts of the timing phase, not more of it: for reading where it goes.)
    result["phase_seconds"]["within.timing.warmup"] = round(_perf() - warm_start, 4)
    ref_once = kbh_timing.once_for(method, device)
    spot = random.SystemRandom().randrange(trials) + skip if trials else -1
    mine, theirs, outside, pings = [], [], [], []
    cpu_before = proc.cpu_seconds()
    windows = 0.0

    def candidate():
        nonlocal windows
        start = _perf()
        ms = float(proc.call("time", method=method)[0]["ms"])
        took = _perf() - start
        windows += took
        outside.append(took * 1000.0)
        pings.append(proc.server.ping())  # the host's round trip now, from a process that runs no candidate code
        return ms

    def judge(fn):
        start = _perf()
        with torch.no_grad():
            ms = ref_once(fn, device)
        proc.extend(_perf() - start)  # the reference's time is not the candidate's
        return ms

    spot_reason = None
    for i in range(trials + skip):
        # Interleaved, AB BA AB BA ...: both see the same host and GPU conditions, so a drift between timing windows
        # (launch-bound models moved 1.4-2.2x between windows on an H200 node) cancels in their ratio.
        if not interleaved:
            a, b = candidate(), None
        elif i % 2 == 0:
            a, b = candidate(), judge(lambda: reference.model(*ref_inputs))
        else:
            b, a = judge(lambda: reference.model(*ref_inputs)), candidate()
        if i == spot:  # a timed call the candidate could not know would be looked at
            cpu_spot, spot_start = proc.cpu_seconds(), _perf()
            spot_reason = _spot_check(proc, reference, req, i - skip, device)
            if spot_reason and wanted and not made:
                spot_reason += (" (it writes into its inputs, which take too much memory for a copy per timed call: "
                                "its timed calls ran on inputs its earlier calls had changed)")
            # Handing its output over is work the judge asked for: one core's worth of it, no more, is not counted.
            cpu_before += min(proc.cpu_seconds() - cpu_spot, 1.1 * (_perf() - spot_start) + 0.02)
            result["phase_seconds"]["within.timing.spot_check"] = round(_perf() - spot_start, 4)
        if i >= skip:
            mine.append(a)
            if b is not None:
                theirs.append(b)
    cpu_last = proc.cpu_seconds()
    time.sleep(_SETTLE_S)
    cpu_after = proc.cpu_seconds()
    clock.lap("timing")
    result["times_ms"] = mine
    if interleaved:
        result["paired_ref_times_ms"] = theirs
    del ref_inputs
    answer, _ = proc.call("findings", candidate_ms=min(mine) if mine else 0.0)
    _add(result, answer.get("findings"))
    _evidence(result, answer)
    timed = outside[skip:]
    evidence = kbh_evidence.evidence(proc, mine, timed, cpu_last - cpu_before, windows, cpu_after - cpu_last, device,
                                     pings[skip:])
    result["timing_check"] = evidence["record"]
    result["timing_check"]["spot_check_trial"] = spot - skip
    if spot_reason:
        result["findings"].append(kbh_hacks.finding("timed_output_differs", spot_reason))
    result["findings"] += evidence["findings"]
    clock.lap("validators")


def _fresh_copies(result, calls):
    """One copy of the timing inputs per timed call, made ahead by the candidate's process (kbh_runner.op_warmup), for
    a candidate that wrote into its inputs in the correctness trials (CUDA-L1's in-place L1/20, L1/21): each timed call
    then sees the reference's inputs and the spot check of its output stays valid."""
    return calls if any(f.get("rule") == "input_mutation" for f in result["findings"]) else 0


def _timing_batch(proc, req, result, clock):
    """Triton's do_bench runs its own repetitions: the process's CPU time is the judge's only check on it."""
    proc.call("warmup", seed=req["seed"], n=req["warmup"])
    cpu_before, start = proc.cpu_seconds(), _perf()
    times = [float(t) for t in proc.call("time_batch", method="do_bench", n=req["perf_trials"])[0]["times_ms"]]
    window = _perf() - start
    cpu_last = proc.cpu_seconds()
    time.sleep(_SETTLE_S)
    result["times_ms"] = times
    evidence = kbh_evidence.evidence(proc, [], [], cpu_last - cpu_before, window, proc.cpu_seconds() - cpu_last,
                                     torch.device("cuda"))
    evidence["record"]["measured_by"] = "do_bench's own loop in the candidate process; candidate process CPU time"
    result["timing_check"] = evidence["record"]
    clock.lap("timing")


def _spot_check(proc, reference, req, trial, device):
    answer, fds = proc.call("output", keep_fds=True)
    outputs, problem_text = _read_outputs(answer, fds, reference.timing_output, device)
    if problem_text:
        return f"timed call {trial}: {problem_text}"
    reason, _, _ = kbh_check.compare(reference.timing_output, outputs, req["atol"], req["rtol"])
    return f"the output of timed call {trial} differs from the reference: {reason}" if reason else None


def _add(result, findings):
    for f in findings or []:
        if isinstance(f, dict) and isinstance(f.get("rule"), str):
            found = {"rule": f["rule"][:60], "severity": "reject" if f.get("severity") == "reject" else "flag",
                     "message": str(f.get("message", ""))[:500], "self_reported": True}
            if isinstance(f.get("line"), int) and not isinstance(f.get("line"), bool):
                found["line"] = f["line"]
            if isinstance(f.get("trial"), (str, int)):
                found["trial"] = str(f["trial"])[:60]
            result["findings"].append(found)


def _evidence(result, answer):
    """How the candidate's process gathered its runtime evidence (self-reported), for the verdict."""
    said = answer.get("evidence")
    if isinstance(said, dict):
        record = result.setdefault("evidence", {})
        for k, v in list(said.items())[:8]:
            record[str(k)[:40]] = "self-reported: " + str(v)[:300]


def failure_result(error):
    """The verdict for a candidate process that failed (kbh_spawn.CandidateFailed)."""
    if error.kind == "timeout":
        return {"status": "timeout", "reason": str(error)}
    if error.kind == "error":
        return {"status": "runtime_error", "reason": f"{error}\n{error.trace}".strip()}
    return {"status": "runtime_error", "reason": str(error)}
