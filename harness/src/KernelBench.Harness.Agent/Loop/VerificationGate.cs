using System.Diagnostics;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// The shared queue in front of the verifier (verify_parallel slots, or none): the time a candidate waits for a slot
/// is measured so it is recorded and not charged to its problem.
/// </summary>
public sealed class VerificationGate(IVerifier verifier, int? slots)
{
    private readonly SemaphoreSlim? _slots = slots is { } n ? new SemaphoreSlim(n, n) : null;

    public async Task<(Verdict Verdict, double WaitSeconds, double Seconds)> VerifyAsync(Problem problem, string code, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (_slots is not null)
            await _slots.WaitAsync(cancellationToken);
        var waited = clock.Elapsed.TotalSeconds;
        try
        {
            var verdict = await verifier.VerifyAsync(problem, code, cancellationToken);
            return (verdict, waited, clock.Elapsed.TotalSeconds - waited);
        }
        finally
        {
            _slots?.Release();
        }
    }
}
