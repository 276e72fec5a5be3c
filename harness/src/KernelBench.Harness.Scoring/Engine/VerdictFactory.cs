using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>Turns what the stages produced into a <see cref="Verdict"/>: statuses, reasons, numbers and flags.</summary>
public sealed class VerdictFactory(Problem problem, string candidateSha, EvalSettings settings, EnvironmentInfo environment)
{
    /// <summary>The problem's file: the build job runs its source before the candidate's (KernelBench's namespace).</summary>
    public string ProblemPath => problem.Path;

    public Verdict Make(VerdictStatus status, string reason, string output = "") => new()
    {
        Status = status,
        Reason = SecretValues.Scrub(reason),
        Level = problem.Level,
        ProblemId = problem.Id,
        ProblemName = problem.Name,
        ProblemSha256 = problem.Sha256,
        CandidateSha256 = candidateSha,
        Backend = settings.Backend,
        CandidateOutput = SecretValues.Scrub(output),
        Settings = settings,
        Environment = environment,
        Policy = settings.Policy,
    };

    /// <summary>The check's findings as the verdict records them: what each did under the policy, who saw it.</summary>
    public static IReadOnlyList<VerdictFinding> RuntimeFindings(CheckAnswer check) => check.Findings
        .Select(f => new VerdictFinding(f.Rule, f.Action, f.SelfReported ? "self_reported" : "judge", SecretValues.Scrub(f.Message), f.Line, f.Trial))
        .ToList();

    /// <summary>A job that did not answer: time-out or a dead worker.</summary>
    public Verdict FromFailure(WorkerReply reply, string stage) => reply.Outcome == WorkerOutcome.TimedOut
        ? Make(VerdictStatus.Timeout, $"{stage}: {reply.Detail}", reply.OutputTail)
        : Make(VerdictStatus.RuntimeError, $"{stage}: {reply.Detail}", reply.OutputTail);

    public Verdict FromCheck(CheckAnswer check, BuildAnswer build, TimingSummary? reference, double excessive, IEnumerable<string> staticFlags,
                             IReadOnlyList<VerdictFinding>? staticFindings = null)
    {
        var status = check.Status switch
        {
            "correct" => VerdictStatus.Correct,
            "incorrect" => VerdictStatus.Incorrect,
            "rejected" => VerdictStatus.Rejected,
            "compile_error" => VerdictStatus.CompileError,
            "timeout" => VerdictStatus.Timeout,
            _ => VerdictStatus.RuntimeError,
        };
        var flags = new List<string>(staticFlags);
        foreach (var f in check.Findings)
            if (!flags.Contains(f.Rule))
                flags.Add(f.Rule);
        var runtime = status == VerdictStatus.Correct ? TimingStatistics.Summarize(check.TimesMs) : null;
        var speedup = TimingStatistics.Speedup(reference, runtime);
        if (speedup > excessive)
            flags.Add("excessive_speedup");
        var kinds = build.Kinds;
        // Only load_inline/load builds are seen; a Triton or TileLang candidate (--backend) compiles at run time instead.
        if ((build.ExtensionsBuilt ?? 0) == 0 && settings.Backend is "cuda" or "cpp" or "")
            flags.Add("pytorch_only");
        var failedTrial = check.FailedTrial;
        return Make(status, check.Reason, (build.OutputTail + check.OutputTail) is var o && o.Length > 4000 ? o[^4000..] : o) with
        {
            Backend = kinds.Contains("cuda") ? "cuda" : kinds.Contains("cpp") ? "cpp" : settings.Backend is "cuda" or "" ? "pytorch" : settings.Backend,
            MaxAbsDiff = check.MaxAbsDiff,
            MeanAbsDiff = check.MeanAbsDiff,
            FailedTrial = failedTrial is null ? null : (int)failedTrial,
            Runtime = runtime,
            RefRuntime = reference,
            Speedup = speedup,
            Flags = flags,
            BuildSeconds = build.BuildSeconds,
            BuildModes = build.BuildModes,
            Sandbox = check.Sandbox,
            TimingCheck = check.TimingCheck,
            Findings = [.. staticFindings ?? [], .. RuntimeFindings(check)],
            Evidence = check.Evidence,
        };
    }
}
