namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>
/// One finding in a verdict. Action: "reject" or "flag", under the verdict's policy. Source: "static" (the source's
/// text), "judge" (the judge's own evidence) or "self_reported" (gathered in the candidate's process, which could
/// hide it). Line: the candidate's line it points at, when known; Trial: the trial it was seen in.
/// </summary>
public sealed record VerdictFinding(string Rule, string Action, string Source, string Message, int? Line = null, string? Trial = null);
