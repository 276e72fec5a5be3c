namespace KernelBench.Harness.Scoring.Workers;

/// <summary>The Python worker could not be started: a harness environment problem, not a candidate's fault.</summary>
public sealed class WorkerStartException(string message) : KernelBench.Harness.Problems.BadInputException(message);
