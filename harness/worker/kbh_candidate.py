"""The check job, judge side: the candidate runs in its own process (kbh_runner); here only the judge's code runs.

The judge sends the candidate process its inputs (sealed memfds), gets its outputs back as bytes, compares them with
its own reference outputs (kbh_check.compare), times the reference itself, and checks the candidate's self-reported
times against its own clock and the process's CPU time. Findings the candidate process reports are marked
"self_reported": true; which findings reject is the policy's (kbh_policy): under `evidence`, a fallback the process saw
run rejects, although a candidate could hide it; correctness and the judge's timing evidence never depend on them.
"""
import contextlib
import re

import torch

import kbh_answers
import kbh_check
import kbh_fast_fill
import kbh_files
import kbh_gpu_turn
import kbh_handover
import kbh_judge_timing
import kbh_load
import kbh_policy
import kbh_stale
import kbh_tensors


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
    kbh_answers.add_findings(result, answer.get("findings"))
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
                        kbh_judge_timing.timing(proc, problem, reference, req, device, dtype, on_device, result, clock,
                                                rehand=lambda: inputs.before(seed))
                    if not quiet.held:  # (the record says so: a start may have run beside them)
                        result.setdefault("timing_check", {})["start_beside"] = True
                    if req.get("expects_kernel"):  # (on a CPU it only says that there are no kernel records)
                        # After the timing: the profiler's CUPTI stays attached to the process once started, and made
                        # every later launch slower (L1/19 on an H100: 7.1 us against KernelBench's 4.7 us).
                        answer, _ = proc.call("kernels")
                        kbh_answers.add_findings(result, answer.get("findings"))
                        kbh_answers.add_evidence(result, answer)
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
        kbh_answers.add_evidence(result, answer)
        clock.lap("correctness")
        inputs.saw_outputs(answer.get("outputs"))
        outputs, problem_text = kbh_answers.read_outputs(answer, fds, reference.outputs[trial], device)
        kbh_answers.add_findings(result, answer.get("findings"))
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


def failure_result(error):
    """The verdict for a candidate process that failed (kbh_spawn.CandidateFailed)."""
    if error.kind == "timeout":
        return {"status": "timeout", "reason": str(error)}
    if error.kind == "error":
        return {"status": "runtime_error", "reason": f"{error}\n{error.trace}".strip()}
    return {"status": "runtime_error", "reason": str(error)}
