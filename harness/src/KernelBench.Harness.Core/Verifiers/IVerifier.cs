using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring;

/// <summary>
/// Judges one candidate source against its problem's reference. Never throws for anything the candidate does:
/// a crash, hang or wrong output is a verdict. Throws only for the caller's cancellation or a broken harness.
/// </summary>
public interface IVerifier
{
    Task<Verdict> VerifyAsync(Problem problem, string candidateSource, CancellationToken cancellationToken);
}
