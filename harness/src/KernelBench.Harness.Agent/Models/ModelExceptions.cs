using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Agent.Models;

/// <summary>The endpoint cannot serve this run at all (401, 403, 404, 410, 400, a missing key): the run stops at once with this message.</summary>
public sealed class ModelEndpointException(string message) : BadInputException(message);

/// <summary>One request failed after its bounded retries (or ran past its total timeout); the attempt is recorded as model_error.</summary>
public sealed class ModelCallException(string message, int retries, IReadOnlyList<string> retryLog, double waitSeconds) : Exception(message)
{
    public int Retries { get; } = retries;
    public IReadOnlyList<string> RetryLog { get; } = retryLog;
    public double WaitSeconds { get; } = waitSeconds;
}

/// <summary>A replayed run has no recorded answer for this attempt: its chain ends here, as it did in the recorded run.</summary>
public sealed class ReplayExhaustedException(string message) : Exception(message);
