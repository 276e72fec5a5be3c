namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>The outcome of judging one candidate. Serialized in snake_case ("compile_error").</summary>
public enum VerdictStatus
{
    Correct,
    Incorrect,
    CompileError,
    RuntimeError,
    Timeout,
    Rejected,

    /// <summary>
    /// Never judged: the harness died each of the two times it judged this candidate (a run killed mid-check, then its
    /// resume too), so a resume records this instead of dying at the same candidate forever. A failed attempt.
    /// </summary>
    HarnessInterrupted,
}
