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

    /// <summary>
    /// Lets the verifier get the problem's worker and reference ready while the model writes the first candidate;
    /// returns at once. A failure here (a worker that cannot start) is the first verification's to report.
    /// </summary>
    public void Prepare(Problem problem, CancellationToken cancellationToken)
    {
        if (verifier is not IPreparingVerifier preparer)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await preparer.PrepareAsync(problem, cancellationToken);
            }
            catch (Exception) // reported by VerifyAsync, which meets the same cause with a candidate to pin it on
            {
            }
        }, CancellationToken.None);
    }

    /// <summary>Judges the candidate; <paramref name="onStart"/> runs once it has a slot, just before the verifier sees it.</summary>
    public async Task<(Verdict Verdict, double WaitSeconds, double Seconds)> VerifyAsync(Problem problem, string code, Action? onStart,
        CancellationToken cancellationToken)
    {
        var waited = await _slots.WaitTimedAsync(cancellationToken);
        try
        {
            onStart?.Invoke();
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
