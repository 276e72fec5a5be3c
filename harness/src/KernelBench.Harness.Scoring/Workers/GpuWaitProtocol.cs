using System.Text.Json;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// Progress, not answers: while a job waits for a GPU that another worker is using, the worker sends "gpu_wait", then
/// "gpu_acquired" once it is its own. Time queued does not count against the job's limit (it is bounded by
/// <see cref="WorkerOptions.GpuWaitTimeout"/>); once the GPU is the job's, it gets its whole limit.
/// </summary>
internal static class GpuWaitProtocol
{
    /// <summary>Reads until job <paramref name="id"/>'s answer; <paramref name="next"/> reads one message within a limit
    /// (true: waiting for the GPU), any outcome but an answer ends the wait.</summary>
    public static async Task<WorkerReply> AnswerAsync(long id, TimeSpan limit, TimeSpan gpuWaitLimit, Func<TimeSpan, bool, Task<WorkerReply>> next)
    {
        var queued = false;
        while (true)
        {
            var reply = await next(queued ? gpuWaitLimit : limit, queued);
            if (reply.Outcome != WorkerOutcome.Answered)
                return reply;
            if (!reply.Body.TryGetProperty("id", out var got) || got.ValueKind != JsonValueKind.Number || got.GetInt64() != id)
                continue;
            switch (reply.Body.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null)
            {
                case "gpu_wait":
                    queued = true;
                    continue;
                case "gpu_acquired":
                    queued = false;
                    continue;
                case null:
                    return reply;
                default:
                    continue;
            }
        }
    }
}
