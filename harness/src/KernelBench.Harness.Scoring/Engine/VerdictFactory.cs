using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;

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

    /// <summary>What the build job said of how each extension was built (see <see cref="Verdict.BuildModes"/>).</summary>
    public static IReadOnlyList<string> BuildModes(WorkerReply build) =>
        build.Array("build_modes").Select(m => m.GetString() ?? "").Where(m => m.Length > 0).ToList();

    /// <summary>The check's findings as the verdict records them: what each did under the policy, who saw it.</summary>
    public static IReadOnlyList<VerdictFinding> RuntimeFindings(WorkerReply check) => check.Array("findings")
        .Where(f => f.ValueKind == System.Text.Json.JsonValueKind.Object && f.TryGetProperty("rule", out _))
        .Select(f => new VerdictFinding(
            Text(f, "rule"), Text(f, "action") is "reject" ? "reject" : "flag",
            f.TryGetProperty("self_reported", out var s) && s.ValueKind == System.Text.Json.JsonValueKind.True ? "self_reported" : "judge",
            SecretValues.Scrub(Text(f, "message")),
            f.TryGetProperty("line", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.Number && l.TryGetInt32(out var line) ? line : null,
            Text(f, "trial") is { Length: > 0 } t ? t : null))
        .ToList();

    private static string Text(System.Text.Json.JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() ?? "" : "";

    /// <summary>A job that did not answer: time-out or a dead worker.</summary>
    public Verdict FromFailure(WorkerReply reply, string stage) => reply.Outcome == WorkerOutcome.TimedOut
        ? Make(VerdictStatus.Timeout, $"{stage}: {reply.Detail}", reply.OutputTail)
        : Make(VerdictStatus.RuntimeError, $"{stage}: {reply.Detail}", reply.OutputTail);

    public Verdict FromCheck(WorkerReply check, WorkerReply build, TimingSummary? reference, double excessive, IEnumerable<string> staticFlags,
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
        foreach (var f in check.Array("findings"))
            if (f.TryGetProperty("rule", out var rule) && rule.GetString() is { } r && !flags.Contains(r))
                flags.Add(r);
        var runtime = status == VerdictStatus.Correct ? TimingStatistics.Summarize(check.Times("times_ms")) : null;
        var speedup = TimingStatistics.Speedup(reference, runtime);
        if (speedup > excessive)
            flags.Add("excessive_speedup");
        var kinds = build.Array("kinds").Select(k => k.GetString() ?? "").ToList();
        // Only load_inline/load builds are seen; a Triton or TileLang candidate (--backend) compiles at run time instead.
        if ((build.Num("extensions_built") ?? 0) == 0 && settings.Backend is "cuda" or "cpp" or "")
            flags.Add("pytorch_only");
        var failedTrial = check.Num("failed_trial");
        return Make(status, check.Str("reason"), (build.OutputTail + check.OutputTail) is var o && o.Length > 4000 ? o[^4000..] : o) with
        {
            Backend = kinds.Contains("cuda") ? "cuda" : kinds.Contains("cpp") ? "cpp" : settings.Backend is "cuda" or "" ? "pytorch" : settings.Backend,
            MaxAbsDiff = check.Num("max_abs_diff"),
            MeanAbsDiff = check.Num("mean_abs_diff"),
            FailedTrial = failedTrial is null ? null : (int)failedTrial,
            Runtime = runtime,
            RefRuntime = reference,
            Speedup = speedup,
            Flags = flags,
            BuildSeconds = build.Num("build_seconds"),
            BuildModes = BuildModes(build),
            Sandbox = check.Texts("sandbox"),
            TimingCheck = check.Texts("timing_check"),
            Findings = [.. staticFindings ?? [], .. RuntimeFindings(check)],
            Evidence = check.Texts("evidence"),
        };
    }
}
