namespace KernelBench.Harness.Scoring.Validators;

/// <summary>What a validator found: the rule, how serious, and a message that says what and why.</summary>
public sealed record ValidationFinding(string Rule, FindingSeverity Severity, string Message, int? Line = null);

/// <summary>Reject: the candidate's verdict becomes `rejected`. Flag: recorded in the verdict's flags, verdict unchanged.</summary>
public enum FindingSeverity
{
    Flag,
    Reject,
}
