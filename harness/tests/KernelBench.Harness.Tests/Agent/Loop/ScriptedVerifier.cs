using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>
/// For loop and budget arithmetic only (the real verifier's own tests judge real code): a verdict read from a marker
/// comment in the candidate — "# verdict: compile_error", "# verdict: incorrect", "# verdict: correct 1.5".
/// </summary>
public sealed partial class ScriptedVerifier : IVerifier
{
    public ConcurrentQueue<string> Judged { get; } = new();

    public Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken)
    {
        Judged.Enqueue(candidateSource);
        var m = Marker().Match(candidateSource);
        var verdict = (m.Success ? m.Groups[1].Value : "") switch
        {
            "compile_error" => new Verdict { Status = VerdictStatus.CompileError, Reason = "kernel.cu(12): error: expected a \";\"\nninja: build stopped" },
            "incorrect" => new Verdict { Status = VerdictStatus.Incorrect, FailedTrial = 0, MaxAbsDiff = 1.0, MeanAbsDiff = 0.5, Reason = "output mismatch" },
            "correct" => new Verdict
            {
                Status = VerdictStatus.Correct,
                Speedup = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                Runtime = new TimingSummary { MeanMs = 1 }, RefRuntime = new TimingSummary { MeanMs = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) },
            },
            _ => new Verdict { Status = VerdictStatus.RuntimeError, Reason = "no verdict marker" },
        };
        return Task.FromResult(verdict with { Level = problem.Level, ProblemId = problem.Id });
    }

    [GeneratedRegex(@"# verdict: (\w+)(?: ([0-9.]+))?")]
    private static partial Regex Marker();
}
