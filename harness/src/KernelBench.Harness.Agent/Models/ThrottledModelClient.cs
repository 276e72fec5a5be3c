using KernelBench.Harness.Scoring;

namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// At most N model requests in flight over the whole run (model.max_concurrent_requests), however many problems and
/// chains run at once. The time a request waits for its turn is added to the reply's wait: recorded, not charged.
/// </summary>
public sealed class ThrottledModelClient(IModelClient inner, int limit) : IModelClient
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    public static IModelClient Wrap(IModelClient client, int? limit) => limit is { } n ? new ThrottledModelClient(client, n) : client;

    public string Describe => $"{inner.Describe}, at most {limit} request(s) at once";

    public async Task<ModelReply> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var waited = await _slots.WaitTimedAsync(cancellationToken);
        try
        {
            var reply = await inner.CompleteAsync(request, cancellationToken);
            return reply with { WaitSeconds = reply.WaitSeconds + waited };
        }
        finally
        {
            _slots.Release();
        }
    }
}
