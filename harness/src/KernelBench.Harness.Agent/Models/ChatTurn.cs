namespace KernelBench.Harness.Agent.Models;

/// <summary>One message sent to the model: "system", "user" or "assistant". Assistant turns carry the answer only, never reasoning.</summary>
public sealed record ChatTurn(string Role, string Content)
{
    public static ChatTurn User(string content) => new("user", content);
    public static ChatTurn Assistant(string content) => new("assistant", content);
}

/// <summary>What the loop asks for: the conversation, and which attempt it is (the replay provider answers by that).</summary>
public sealed record ModelRequest(string ProblemKey, int Chain, int Index, IReadOnlyList<ChatTurn> Messages);

/// <summary>
/// One finished answer: the text after reasoning, the reasoning kept apart, token counts, and what it took to get it
/// (retries, each with its cause, and seconds spent waiting on rate limits and backoff, which budgets do not charge).
/// </summary>
public sealed record ModelReply
{
    public string Answer { get; init; } = "";
    public string Reasoning { get; init; } = "";
    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }
    public string? FinishReason { get; init; }
    public int Retries { get; init; }
    public IReadOnlyList<string> RetryLog { get; init; } = [];
    public double WaitSeconds { get; init; }
    public string Model { get; init; } = "";
}
