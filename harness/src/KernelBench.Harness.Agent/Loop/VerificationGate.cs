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
        var waited = await _slots.WaitTimedAsync(cancellationToken);
        try
        {
            var clock = Stopwatch.StartNew();
            var verdict = await verifier.VerifyAsync(problem, code, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            var queued = Math.Min(Math.Max(0, verdict.QueueSeconds), seconds);
            return (verdict, waited + queued, seconds - queued);
        }
        finally
        {
            _slots?.Release();
        }
    }
}
