using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store;

/// <summary>
/// One attempt at one problem: a candidate (from the model, or from a file for `kbh eval`) and its verdict.
/// Appended once to the run's attempts.jsonl when it is finished; the pair (ProblemKey, Chain, Index) is unique in a run.
/// </summary>
public sealed record AttemptRecord
{
    public required string ProblemKey { get; init; }
    public int Level { get; init; }
    public int ProblemId { get; init; }
    public string ProblemName { get; init; } = "";
    public string ProblemSha256 { get; init; } = "";

    /// <summary>Which refinement chain (0 for sequential; 0..N-1 for best-of-N and hybrid).</summary>
    public int Chain { get; init; }

    /// <summary>Position in the chain, from 0.</summary>
    public int Index { get; init; }

    /// <summary>verdict status, or "no_code" / "model_error" when there was nothing to judge.</summary>
    public required string Status { get; init; }

    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset EndedAt { get; init; }

    /// <summary>Seconds charged to the problem's budget (waits for a shared GPU or a rate limit excluded).</summary>
    public double ChargedSeconds { get; init; }

    /// <summary>Seconds spent waiting (rate limits, queue for the GPU); recorded, not charged.</summary>
    public double WaitSeconds { get; init; }

    /// <summary>Where the candidate came from: a file path for eval, "model" for an agent run.</summary>
    public string Source { get; init; } = "";

    public string? Code { get; init; }
    public string? CodeSha256 { get; init; }

    public string? Prompt { get; init; }
    public string? Response { get; init; }
    public string? Reasoning { get; init; }
    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }
    public int Retries { get; init; }

    /// <summary>Why each retry happened and how long it waited (429, 5xx, dropped or cut-off streams).</summary>
    public IReadOnlyList<string>? RetryLog { get; init; }

    /// <summary>Why the model stopped: "stop", or "length" when the output-token limit cut it off.</summary>
    public string? FinishReason { get; init; }

    /// <summary>The model that answered (as the endpoint named it), for runs that compare models.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// The problem's budget clock when this attempt ended: charged seconds of its chain so far (chains run side by side,
    /// so the problem's clock is the longest chain's). Anytime curves read "solved within T" as a correct attempt with this ≤ T.
    /// </summary>
    public double? BudgetSecondsAtEnd { get; init; }
    public string? Error { get; init; }

    public Verdict? Verdict { get; init; }
}
