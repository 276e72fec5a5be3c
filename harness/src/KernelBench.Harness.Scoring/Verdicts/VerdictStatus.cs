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
}
