namespace KernelBench.Harness.Agent.Prompts;

/// <summary>What the feedback template is filled with: a one-line status, the cause in detail, and the best result so far.</summary>
public sealed record FeedbackText(string Status, string Details, string BestSoFar);
