namespace KernelBench.Harness.Agent.Models;

/// <summary>A failure worth another try (429, 5xx, a dropped or cut-off stream, an idle stream), with the server's Retry-After if it gave one.</summary>
internal sealed class RetryableException(string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>How long to wait between tries: exponential from <see cref="Base"/>, capped, unless the server said otherwise.</summary>
public sealed record RetryTiming(TimeSpan Base, TimeSpan Cap)
{
    public static RetryTiming Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));

    /// <summary>A server's Retry-After is honoured up to this long; beyond it the total timeout decides.</summary>
    public static TimeSpan MaxRetryAfter { get; } = TimeSpan.FromHours(1);

    public TimeSpan Backoff(int retry)
    {
        var seconds = Math.Min(Cap.TotalSeconds, Base.TotalSeconds * Math.Pow(2, retry));
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }
}
