using KernelBench.Harness.Scoring.Cache;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// An engine's one worker: started when there is none or the last one failed, and the jobs it runs under the judge's
/// limits (a job that leaves it unusable marks it for replacement).
/// </summary>
internal sealed class EngineWorker(EngineOptions options, CandidateBuildRecords buildRecords) : IDisposable
{
    private static readonly TimeSpan JudgeMargin = TimeSpan.FromSeconds(30);
    private WorkerProcess? _worker;

    /// <summary>How many workers were started so far (a crash or time-out costs one).</summary>
    public int Started { get; private set; }

    /// <summary>Where the last worker runs: versions and GPU; empty until the first start.</summary>
    public EnvironmentInfo Environment { get; private set; } = new();

    /// <summary>A worker is running and fit for the next job.</summary>
    public bool Healthy => _worker is { Unhealthy: false, HasExited: false };

    public async Task<WorkerProcess> EnsureAsync(CancellationToken ct)
    {
        if (_worker is { Unhealthy: false, HasExited: false })
            return _worker;
        _worker?.Dispose();
        _worker = null;
        var worker = await WorkerProcess.StartAsync(options.Worker, ct);
        Started++;
        Environment = WorkerHello.Describe(worker.Hello, options.Settings.Device, options.HarnessVersion);
        WorkerHello.CheckDevice(worker.Hello, options.Settings.Device);
        buildRecords.Observe(worker.Hello);
        _worker = worker;
        return worker;
    }

    /// <summary>The worker, as <see cref="EnsureAsync"/>; the time a start took goes in <paramref name="phases"/>.</summary>
    public async Task<WorkerProcess> EnsureAsync(Dictionary<string, double> phases, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var worker = await EnsureAsync(ct);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (seconds >= 0.001)
            phases["worker_start"] = seconds;
        return worker;
    }

    public async Task<WorkerReply> RunAsync(WorkerProcess worker, WorkerJob job, TimeSpan limit, CancellationToken ct)
    {
        // Workers sharing a GPU take turns on it. The judge enforces the limit on the candidate's own process and
        // answers "timeout" itself; this side's timer, a little later, is the backstop for a judge that stops answering.
        var request = job with { GpuLockDir = options.Worker.GpuLockFolder, TimeoutSeconds = limit.TotalSeconds };
        var reply = await worker.RunAsync(request, limit + JudgeMargin, ct);
        if (reply.Outcome != WorkerOutcome.Answered || reply.Flag("unhealthy"))
            worker.Unhealthy = true;
        return reply;
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _worker = null;
    }
}
