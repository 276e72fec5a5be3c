namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// Where answers come from: an OpenAI-compatible endpoint or a recorded run.
/// Throws <see cref="ModelEndpointException"/> when the endpoint cannot serve at all (wrong key, model or URL),
/// <see cref="ModelCallException"/> when one request failed after its retries, and
/// <see cref="ReplayExhaustedException"/> when a recorded chain has no more answers.
/// </summary>
public interface IModelClient
{
    string Describe { get; }

    Task<ModelReply> CompleteAsync(ModelRequest request, CancellationToken cancellationToken);
}
