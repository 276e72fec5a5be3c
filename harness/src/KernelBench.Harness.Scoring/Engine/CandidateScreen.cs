using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>What screening found: the verdict when it decided the candidate, else the flags and findings to carry.</summary>
internal sealed record ScreenResult(Verdict? Done, List<string> StaticFlags, IReadOnlyList<VerdictFinding> Findings);

/// <summary>Checks that need no worker: an unusable source, and the static validators under the policy.</summary>
internal sealed class CandidateScreen(EvalSettings settings, IReadOnlyList<ICandidateValidator> validators)
{
    public ScreenResult Screen(Problem problem, string source, VerdictFactory verdicts)
    {
        if (CandidateSource.Problem(source) is { } bad)
            return new ScreenResult(verdicts.Make(VerdictStatus.CompileError, bad), [], []);
        var context = new CandidateContext(problem, source, settings.Backend);
        var findings = PolicyScreen.Apply(settings.Policy, validators.SelectMany(v => v.Validate(context)), context, settings.Precision);
        var staticFlags = findings.Where(f => f.Severity == FindingSeverity.Flag).Select(f => f.Rule).Distinct().ToList();
        var recorded = PolicyScreen.ToVerdict(findings);
        if (findings.FirstOrDefault(f => f.Severity == FindingSeverity.Reject) is { } reject)
            return new ScreenResult(verdicts.Make(VerdictStatus.Rejected, $"{reject.Rule}: {reject.Message}") with
            {
                Flags = findings.Select(f => f.Rule).Distinct().ToList(), Findings = recorded,
            }, staticFlags, recorded);
        return new ScreenResult(null, staticFlags, recorded);
    }
}
