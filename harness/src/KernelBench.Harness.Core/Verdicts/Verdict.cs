using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>
/// Everything the verifier concluded about one candidate for one problem: status, why, the numbers,
/// and the settings and environment they were measured under. Immutable; written to the run store as JSON.
/// </summary>
public sealed record Verdict
{
    public required VerdictStatus Status { get; init; }

    /// <summary>Human-readable cause: compiler log tail, first mismatching trial, the validator that rejected it.</summary>
    public string Reason { get; init; } = "";

    public int Level { get; init; }
    public int ProblemId { get; init; }
    public string ProblemName { get; init; } = "";
    public string ProblemSha256 { get; init; } = "";
    public string CandidateSha256 { get; init; } = "";

    /// <summary>What kind of candidate it was: cuda, cpp, triton, pytorch, ...</summary>
    public string Backend { get; init; } = "";

    public double? MaxAbsDiff { get; init; }
    public double? MeanAbsDiff { get; init; }

    /// <summary>Index of the first correctness trial that failed, if any.</summary>
    public int? FailedTrial { get; init; }

    public TimingSummary? Runtime { get; init; }
    public TimingSummary? RefRuntime { get; init; }

    /// <summary>Reference time / candidate time (means), when both were measured.</summary>
    public double? Speedup { get; init; }

    /// <summary>Speedups against further baselines (`kbh eval --compare-baseline FILE`), by the file's name: its time / this candidate's.</summary>
    public IReadOnlyDictionary<string, double> BaselineSpeedups { get; init; } = new Dictionary<string, double>();

    /// <summary>Non-fatal findings, e.g. "excessive_speedup", "pytorch_only".</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Seconds spent building the candidate's extensions.</summary>
    public double? BuildSeconds { get; init; }

    /// <summary>
    /// Which build each extension got: "name: library-cache" (loaded, nothing compiled), or per compiled file
    /// "name/file: mode" with mode object-cache, pch, light, plain, plain-after-light or plain-after-pch.
    /// </summary>
    public IReadOnlyList<string> BuildModes { get; init; } = [];

    /// <summary>
    /// Where the judging time went, in seconds: check.model, check.poison, check.inputs, check.correctness,
    /// check.validators, check.timing (inside the worker, the device synchronized at each boundary); reference.* the
    /// same for the reference when it was measured for this verdict; check_job and reference_job the whole jobs as the
    /// harness saw them. Empty when no check ran.
    /// </summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Seconds the candidate waited for a free worker or GPU before judging began: not the candidate's cost.</summary>
    public double QueueSeconds { get; init; }

    /// <summary>Tail of what the candidate printed (stdout and stderr), never mixed with the worker's own protocol.</summary>
    public string CandidateOutput { get; init; } = "";

    /// <summary>
    /// Which parts of the OS sandbox the candidate's process ran in (namespaces, network, filesystem, seccomp, limits:
    /// true or false), and why each missing part is missing ("missing.PART"). Empty when no candidate process ran.
    /// </summary>
    public IReadOnlyDictionary<string, string> Sandbox { get; init; } = new Dictionary<string, string>();

    /// <summary>How the candidate's time was measured and cross-checked by the judge (timing_check in the worker's answer).</summary>
    public IReadOnlyDictionary<string, string> TimingCheck { get; init; } = new Dictionary<string, string>();

    /// <summary>The policy that decided which findings reject (<see cref="Policies"/>).</summary>
    public string Policy { get; init; } = "";

    /// <summary>Every finding with what it did under the policy, where it points and who saw it (static, judge, self_reported).</summary>
    public IReadOnlyList<VerdictFinding> Findings { get; init; } = [];

    /// <summary>How each kind of runtime evidence was gathered, or why it was not ("not measured: ..."); entries the
    /// candidate's process gathered say "self-reported".</summary>
    public IReadOnlyDictionary<string, string> Evidence { get; init; } = new Dictionary<string, string>();

    public EvalSettings? Settings { get; init; }
    public EnvironmentInfo? Environment { get; init; }
}
