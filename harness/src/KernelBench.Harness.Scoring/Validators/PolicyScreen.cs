using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// The static side of a policy (<see cref="Policies"/>): which of the validators' findings reject. strict keeps each
/// rule's own level; evidence and kernelbench make every static finding a flag (the source's shape is no evidence of
/// what ran); kernelbench-static adds KernelBench's own checker, its errors rejecting and its warnings flagging.
/// </summary>
public static class PolicyScreen
{
    /// <summary>KernelBench checker findings carry its check name under this prefix, apart from the harness's own rules.</summary>
    public const string KernelBenchPrefix = "kernelbench.";

    public static IReadOnlyList<ValidationFinding> Apply(string policy, IEnumerable<ValidationFinding> findings, CandidateContext candidate, string precision)
    {
        var list = policy == Policies.Strict
            ? findings.ToList()
            : findings.Select(f => f with { Severity = FindingSeverity.Flag }).ToList();
        if (policy != Policies.KernelBenchStatic)
            return list;
        var kb = KernelBenchStaticChecker.Validate(candidate.Source, candidate.Backend.ToLowerInvariant(), precision);
        // KernelBench's errors first: the first rejection names the verdict's reason.
        return
        [
            .. kb.Errors.Select(i => Of(i, FindingSeverity.Reject)),
            .. list,
            .. kb.Warnings.Select(i => Of(i, FindingSeverity.Flag)),
        ];
    }

    private static ValidationFinding Of(KernelBenchStaticChecker.Issue issue, FindingSeverity severity) =>
        new(KernelBenchPrefix + issue.Check, severity, $"line {issue.Line}: KernelBench's static checker: {issue.Message}", issue.Line);

    /// <summary>The findings as a verdict records them.</summary>
    public static IReadOnlyList<VerdictFinding> ToVerdict(IEnumerable<ValidationFinding> findings) =>
        findings.Select(f => new VerdictFinding(f.Rule, f.Severity == FindingSeverity.Reject ? "reject" : "flag", "static", f.Message, f.Line)).ToList();
}
