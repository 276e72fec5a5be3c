"""The worker's evidence findings in isolation: the fallback watch, the stale-output fingerprint, the policy table."""

import torch

import kbh_fallback
import kbh_policy
import kbh_stale

_SOURCE = '''
def helper(x):
    if x == 3:
        raise RuntimeError("kernel failed")
    return x

def forward(x):
    try:
        return helper(x)
    except RuntimeError:
        return -1

def quiet(x):
    try:
        return x + 1
    except Exception:
        return 0

def propagates(x):
    return helper(x)
'''


def _module(path):
    ns = {}
    exec(compile(_SOURCE, path, "exec"), ns)
    return ns


def test_a_caught_exception_is_named_with_its_trial_and_line():
    ns, watch = _module("/cand.py"), kbh_fallback.FallbackWatch("/cand.py")
    for trial in range(5):
        watch.start(f"correctness trial {trial}")
        ns["forward"](trial)
        watch.stop()
    found = watch.new()
    assert [(f["trial"], f["line"], f["rule"]) for f in found] == [("correctness trial 3", 10, "fallback_taken")]
    assert "RuntimeError: kernel failed" in found[0]["message"]
    assert watch.new() == []  # reported once


def test_a_try_that_never_fires_leaves_nothing():
    ns, watch = _module("/cand.py"), kbh_fallback.FallbackWatch("/cand.py")
    watch.start("trial")
    for x in range(5):
        ns["quiet"](x)
    watch.stop()
    assert watch.new() == []


def test_an_exception_that_leaves_forward_is_no_fallback():
    ns, watch = _module("/cand.py"), kbh_fallback.FallbackWatch("/cand.py")
    watch.start("trial")
    try:
        ns["propagates"](3)
    except RuntimeError:
        pass  # caught here, in the test's own file: not the candidate's code
    watch.stop()
    assert watch.new() == []


def test_other_files_are_not_watched():
    ns, watch = _module("/other.py"), kbh_fallback.FallbackWatch("/cand.py")
    watch.start("trial")
    ns["forward"](3)
    watch.stop()
    assert watch.new() == []


def test_fingerprints_tell_equal_outputs_from_different_ones():
    a = torch.rand(300, 300)
    assert kbh_stale.fingerprint([a]) == kbh_stale.fingerprint([a.clone()])
    b = a.clone()
    b[7, 11] += 1.0
    assert kbh_stale.fingerprint([a]) != kbh_stale.fingerprint([b])
    assert kbh_stale.fingerprint([a]) != kbh_stale.fingerprint([a.reshape(900, 100)])


def test_policies_decide_which_findings_reject():
    fallback = {"rule": "fallback_taken", "severity": "reject"}
    reuse = {"rule": "memoised_output", "severity": "reject"}
    timer = {"rule": "timer_mismatch", "severity": "reject"}
    thread = {"rule": "thread_injection", "severity": "flag"}
    lazy = {"rule": "lazy_output", "severity": "reject"}  # no measurement: its work may run after the timed interval
    table = {p: [kbh_policy.action(p, f) for f in (fallback, reuse, timer, thread, lazy)] for p in kbh_policy.POLICIES}
    assert table == {"kernelbench": ["flag", "flag", "reject", "flag", "reject"],
                     "kernelbench-static": ["flag", "flag", "reject", "flag", "reject"],
                     "evidence": ["reject", "flag", "reject", "flag", "reject"],
                     "strict": ["reject", "reject", "reject", "flag", "reject"]}


def test_an_unknown_policy_is_named():
    try:
        kbh_policy.name({"policy": "lenient"})
    except ValueError as e:
        assert "lenient" in str(e) and "evidence" in str(e)
    else:
        raise AssertionError("an unknown policy was accepted")


class _Recorder:
    """The two round trips calibrate() clocks (a timed call of nothing, then a fork-server ping), as a log."""
    def __init__(self, log):
        self.log, self.server = log, self

    def call(self, op, **kw):
        self.log.append(("call", op, kw.get("noop")))
        return [{"ms": 0.0}]

    def ping(self):
        self.log.append(("ping",))
        return 0.0


def test_calibration_runs_the_judges_own_timed_call_before_each_call_when_the_reference_is_timed_beside():
    import kbh_evidence
    import kbh_jobs
    cpu = torch.device("cpu")
    log = []
    import kbh_check
    kept = kbh_check.Reference([], [], False, model=torch.nn.Identity())
    apart = kbh_check.Reference([], [], False)
    after = kbh_check.Reference([], [], False, model=torch.nn.Identity(), timed_after=True)  # (--timing kernelbench)
    beside = kbh_jobs._beside(kept, {"timing_method": "cuda_event"}, cpu)
    kbh_evidence.calibrate(_Recorder(log), "cuda_event", cpu, lambda: (beside(), log.append(("beside",))))
    # AB BA, as the timed calls: every other call follows the judge's own.
    call = [("call", "time", True), ("ping",)]
    assert log == (call + [("beside",)] + call) * (kbh_evidence.CALIBRATION_CALLS // 2)
    # Back to back (the reference timed once, apart: its model not kept): nothing runs between the calls.
    assert kbh_jobs._beside(apart, {"timing_method": "cuda_event"}, cpu) is None
    assert kbh_jobs._beside(after, {"timing_method": "kernelbench"}, cpu) is None
    log.clear()
    kbh_evidence.calibrate(_Recorder(log), "cuda_event", cpu)
    assert log == [("call", "time", True), ("ping",)] * kbh_evidence.CALIBRATION_CALLS
