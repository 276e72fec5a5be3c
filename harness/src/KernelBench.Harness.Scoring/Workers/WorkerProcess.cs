using System.Diagnostics;
using System.Text.Json;
using KernelBench.Harness.Scoring.Workers.Protocol;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// One long-lived Python worker: started with an allow-listed environment in its own process group
/// (<see cref="WorkerLaunch"/>), fed one job at a time over its <see cref="WorkerChannel"/>, killed with its whole process
/// tree on a time limit. Answers are accepted only with this worker's nonce.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly WorkerChannel _channel;
    private readonly WorkerOptions _options;
    private long _nextId;

    private WorkerProcess(Process process, string nonce, WorkerOptions options, string capturePath)
    {
        _process = process;
        _channel = new WorkerChannel(process, nonce);
        _options = options;
        CapturePath = capturePath;
    }

    /// <summary>Where fd 1 and 2 of the worker (and of candidate code) go.</summary>
    public string CapturePath { get; }

    /// <summary>The worker's start-up message: torch, Python and CUDA versions, GPUs.</summary>
    public JsonElement Hello { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Reference keys this worker holds outputs for.</summary>
    public HashSet<string> References { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when a job left the worker unusable (crash, timeout, CUDA fault): the next job needs a fresh one.</summary>
    public bool Unhealthy { get; set; }

    /// <summary>The worker's own stderr (Python start-up errors before the capture file takes over).</summary>
    public string Stderr => _channel.Stderr;

    public static async Task<WorkerProcess> StartAsync(WorkerOptions options, CancellationToken cancellationToken)
    {
        options = options.Validated();
        var script = WorkerScript.Extract(options.CacheRoot);
        var python = options.Python ?? PythonLocator.Locate();
        var captureDir = Path.Combine(options.CacheFolder, "capture");
        Directory.CreateDirectory(captureDir);
        var capture = Path.Combine(captureDir, $"worker-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        var nonce = Guid.NewGuid().ToString("N");

        var info = WorkerLaunch.StartInfo(options, python, script, capture, nonce);
        var worker = new WorkerProcess(new Process { StartInfo = info }, nonce, options, capture);
        worker._process.Start();
        if (options.LowPriority)
            WorkerLaunch.LowerPriority(worker._process);
        LiveWorkers.Add(worker);
        worker._channel.StartReading();
        var hello = await worker.NextAnswerAsync(options.StartTimeout, cancellationToken);
        if (hello.Outcome != WorkerOutcome.Answered)
        {
            worker.Dispose();
            throw new WorkerStartException($"the Python worker ({python}) did not start: {hello.Detail}"
                                           + (worker.Stderr.Length > 0 ? $"\n{worker.Stderr}" : ""));
        }
        worker.Hello = hello.Body.Clone();
        return worker;
    }

    /// <summary>Sends one job and waits for its answer, at most <paramref name="limit"/>; on time-out the worker is killed.</summary>
    public async Task<WorkerReply> RunAsync(WorkerJob job, TimeSpan limit, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = job.ToJson();
        request["id"] = id;
        if (!await _channel.SendAsync(request.ToJsonString(), cancellationToken))
            return await DiedAsync();
        return await GpuWaitProtocol.AnswerAsync(id, limit, _options.GpuWaitTimeout,
            (within, waitingForGpu) => NextAnswerAsync(within, cancellationToken, waitingForGpu));
    }

    private async Task<WorkerReply> NextAnswerAsync(TimeSpan limit, CancellationToken cancellationToken, bool waitingForGpu = false)
    {
        using var timer = new CancellationTokenSource(limit, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            if (await _channel.ReceiveAsync(linked.Token) is { } body)
                return new WorkerReply(WorkerOutcome.Answered, body, "", TailOf(body));
            return await DiedAsync();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            Unhealthy = true;
            var what = waitingForGpu
                ? $"waited {limit.TotalSeconds:0.###} s for the GPU, which another worker held all that time (GpuWaitTimeout)"
                : $"no answer within {limit.TotalSeconds:0.###} s";
            return new WorkerReply(WorkerOutcome.TimedOut, default, $"{what}; the worker and its children were killed", CaptureTail());
        }
        catch (OperationCanceledException)
        {
            Kill(); // the caller's cancellation is not a timeout: do not turn it into a verdict
            throw;
        }
    }

    private async Task<WorkerReply> DiedAsync()
    {
        Unhealthy = true;
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        var detail = _process.HasExited ? ExitDescription.Describe(_process.ExitCode) : "the worker closed its channel";
        Kill(); // children it left behind
        return new WorkerReply(WorkerOutcome.Crashed, default, detail, CaptureTail());
    }

    private static string TailOf(JsonElement body) =>
        body.TryGetProperty("output_tail", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";

    private string CaptureTail()
    {
        try
        {
            var text = File.ReadAllText(CapturePath);
            return text.Length <= 4000 ? text : text[^4000..];
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Kills the worker's process group (children a candidate spawned included), then the process itself.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                ProcessGroup.Kill(_process.Id);
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        LiveWorkers.Remove(this);
        if (!_process.HasExited)
        {
            try
            {
                _channel.Send("{\"job\":\"shutdown\"}");
                if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                    Kill();
            }
            catch (IOException)
            {
                Kill();
            }
        }
        Kill();
        _process.Dispose();
        try
        {
            File.Delete(CapturePath);
        }
        catch (IOException)
        {
        }
    }
}
