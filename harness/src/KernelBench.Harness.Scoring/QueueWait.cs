using System.Diagnostics;

namespace KernelBench.Harness.Scoring;

/// <summary>
/// Waiting for a shared slot (a worker, a GPU lane, a build worker, a model request), timed: the wait is recorded and
/// never charged to a problem's budget.
/// </summary>
public static class QueueWait
{
    /// <summary>Waits for a slot of <paramref name="slots"/> (null: nothing to wait for) and returns the seconds it took.</summary>
    public static async Task<double> WaitTimedAsync(this SemaphoreSlim? slots, CancellationToken cancellationToken)
    {
        if (slots is null)
            return 0;
        var clock = Stopwatch.StartNew();
        await slots.WaitAsync(cancellationToken);
        return clock.Elapsed.TotalSeconds;
    }
}
