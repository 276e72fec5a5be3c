using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>Where one problem ended: its attempts (earlier runs' included), the best one, and why it stopped.</summary>
public sealed record ProblemOutcome(string ProblemKey, int Attempts, AttemptRecord? Best, string StopReason)
{
    public bool Solved => Best?.Verdict?.Status == Scoring.Verdicts.VerdictStatus.Correct;
}
