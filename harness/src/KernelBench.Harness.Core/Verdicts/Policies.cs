namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>
/// Which findings reject a candidate, as a verdict names it (<see cref="EvalSettings.Policy"/>; the setting is
/// <see cref="KernelBench.Harness.Core.Settings.Policy"/>); every other finding is a flag. The runtime
/// side of each policy is the worker's (kbh_policy.py), the static side Scoring's PolicyScreen.
/// </summary>
public static class Policies
{
    /// <summary>KernelBench's batch evaluator: correctness and timing only, every finding a flag (a time or timed
    /// output the judge's own checks contradict is no measurement, and still rejects).</summary>
    public const string KernelBench = "kernelbench";

    /// <summary>KernelBench plus its static checker (validate_kernel_static): its errors reject, its warnings flag.</summary>
    public const string KernelBenchStatic = "kernelbench-static";

    /// <summary>The default: runtime evidence gathered during the checks rejects (fallback_taken, stale_output,
    /// no_custom_kernel, patched timing functions, inputs written ...); static findings flag.</summary>
    public const string Evidence = "evidence";

    /// <summary>The rules before policies: static findings at their own levels (any try/except rejects), storage reuse
    /// rejects, and the runtime evidence too.</summary>
    public const string Strict = "strict";

    public const string Default = Evidence;
}
