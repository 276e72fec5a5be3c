"""Which runtime findings reject under each policy (the harness's `policy` setting; the static rules are the harness's).

- kernelbench, kernelbench-static: KernelBench's batch evaluator judges correctness and timing only, so every
  finding is a flag, except that a time the judge's own clock contradicts, a timed call whose output is wrong, or an
  output that is not a plain dense tensor (a subclass can compute when its values are read, after the timed interval:
  CUDA-L1's L1/9 timed at 341x in KernelBench's flow without running its matmul, session 21) is no measurement at all
  (the speedup would be false), in every policy. (A candidate that writes into its inputs gets its
  own copy of them for each timed call, so its timed output is compared like any other: kbh_candidate._timing.)
- evidence (the default): runtime evidence rejects: a fallback that ran, a stale output, no kernel of the candidate
  launched, patched timing/comparison functions, inputs written, inputs returned, work escaping the timer. Storage
  reuse alone (memoised_output) flags.
- strict: every finding at its own severity (the harness's rules before policies existed, and the new evidence).
"""
POLICIES = ("kernelbench", "kernelbench-static", "evidence", "strict")
DEFAULT = "evidence"

# The judge's own measurement is void: rejects under every policy.
MEASUREMENT = {"timer_mismatch", "work_outside_timer", "timed_output_differs", "lazy_output"}

EVIDENCE = MEASUREMENT | {"fallback_taken", "stale_output", "no_custom_kernel", "monkey_patch", "input_mutation",
                          "output_aliases_input", "non_tensor_output", "non_default_stream"}


def name(req):
    policy = req.get("policy") or DEFAULT
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}: expected one of {', '.join(POLICIES)}")
    return policy


def action(policy, finding):
    """"reject" or "flag" for one finding {rule, severity} under the policy."""
    if finding.get("severity") != "reject":
        return "flag"
    rule = finding.get("rule")
    if policy == "strict":
        return "reject"
    if policy == "evidence":
        return "reject" if rule in EVIDENCE else "flag"
    return "reject" if rule in MEASUREMENT else "flag"


def apply(policy, findings):
    """Each finding's action under the policy, in place (its own severity is kept as found)."""
    for f in findings:
        f["action"] = action(policy, f)
    return findings
