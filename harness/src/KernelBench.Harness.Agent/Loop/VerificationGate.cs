using System.Diagnostics;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// The shared queue in front of the verifier (verify_parallel slots, or none): the time a candidate waits for a slot,
/// and the time the verifier reports it waited for a free worker or GPU (<see cref="Verdict.QueueSeconds"/>), is
/// recorded as wait and not charged to its problem.
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
            var queued = Math.Min(Math.Max(0, verdict.QueueSeconds), clock.Elapsed.TotalSeconds - waited);
            return (verdict, waited + queued, clock.Elapsed.TotalSeconds - waited - queued);
        }
        finally
        {
            _slots?.Release();
        }
    }
}
