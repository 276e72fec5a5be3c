using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>`kbh baseline`'s measurement: the reference alone, timed only, eagerly or under torch.compile.</summary>
internal sealed class ReferenceAloneTiming(EngineOptions options, EngineWorker workers)
{
    /// <summary>The reference's raw times, or why it could not be measured. Throws <see cref="NotSupportedException"/>
    /// when the worker's PyTorch cannot honour the request at all.</summary>
    public async Task<(IReadOnlyList<double> Times, string? Error)> MeasureAsync(Problem problem, string? compileMode, CancellationToken ct)
    {
        var worker = await workers.EnsureAsync(ct);
        // Timing only: no correctness outputs (Level 1's are gigabytes, made for nothing); the key says so too.
        var timingOnly = options.Settings with { CorrectnessTrials = 0 };
        var refKey = JobRequests.ReferenceKey(problem, timingOnly, workers.Environment.TorchVersion) + (compileMode is null ? "" : "|compile:" + compileMode);
        var request = JobRequests.Reference(problem, timingOnly, refKey) with { CompileMode = compileMode };
        var reply = await workers.RunAsync(worker, request, options.Worker.ReferenceTimeout, ct);
        if (reply.Outcome != WorkerOutcome.Answered)
            return ([], reply.Detail);
        var answer = ReferenceAnswer.From(reply);
        if (answer.Status == "bad_input")
            throw new NotSupportedException(answer.Reason);
        if (answer.Status != "ok")
            return ([], answer.Reason);
        worker.References.Clear();
        worker.References.Add(refKey);
        return (answer.TimesMs, null);
    }
}
