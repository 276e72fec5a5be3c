namespace KernelBench.Harness.Store;

/// <summary>
/// One line of started.jsonl: the harness began judging an attempt ("started"), or stopped judging it cleanly on a
/// signal ("cancelled"). Written and flushed to disk before the verifier sees the candidate, so an attempt whose judging
/// took the harness down is still known on resume, with everything it needs to be judged again (<see cref="Attempt"/>:
/// the model's answer, the candidate, the time charged before judging).
/// </summary>
public sealed record StartedRecord
{
    public const string Started = "started";
    public const string Cancelled = "cancelled";

    public required string ProblemKey { get; init; }
    public int Chain { get; init; }
    public int Index { get; init; }

    /// <summary><see cref="Started"/> or <see cref="Cancelled"/>.</summary>
    public required string Event { get; init; }

    public DateTimeOffset At { get; init; }
    public string? CodeSha256 { get; init; }

    /// <summary>The attempt as it stood before judging; absent on a "cancelled" line.</summary>
    public AttemptRecord? Attempt { get; init; }

    public static StartedRecord Of(AttemptRecord attempt) => new()
    {
        ProblemKey = attempt.ProblemKey, Chain = attempt.Chain, Index = attempt.Index, Event = Started,
        At = DateTimeOffset.UtcNow, CodeSha256 = attempt.CodeSha256, Attempt = attempt,
    };

    public static StartedRecord CancelOf(AttemptRecord attempt) => new()
    {
        ProblemKey = attempt.ProblemKey, Chain = attempt.Chain, Index = attempt.Index, Event = Cancelled,
        At = DateTimeOffset.UtcNow, CodeSha256 = attempt.CodeSha256,
    };
}

/// <summary>
/// An attempt that was started and has no verdict in attempts.jsonl: the harness died while judging it.
/// <paramref name="Starts"/> counts the starts that ended neither in a verdict nor in a clean cancel.
/// </summary>
public sealed record UnfinishedAttempt(AttemptRecord Attempt, int Starts, IReadOnlyList<DateTimeOffset> StartedAt);
