using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// One long-lived Python worker: started with an allow-listed environment in its own process group, fed one job at a
/// time, killed with its whole process tree on a time limit. Answers are accepted only with this worker's nonce.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    // Workers still running: killed when the harness exits (SIGTERM from `timeout` or a scheduler runs ProcessExit), so
    // none keeps a GPU busy. A kill -9 of the harness skips this; the worker then notices its parent is gone (kbh_worker.py).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<WorkerProcess, byte> Live = new();

    static WorkerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var worker in Live.Keys)
                worker.Kill();
        };
    }

    private readonly Process _process;
    private readonly Channel<JsonElement> _answers = Channel.CreateUnbounded<JsonElement>();
    private readonly WorkerOptions _options;
    private readonly string _nonce = Guid.NewGuid().ToString("N");
    private readonly BoundedText _stderr = new(8000);
    private long _nextId;

    private WorkerProcess(Process process, WorkerOptions options, string capturePath)
    {
        _process = process;
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
    public string Stderr => _stderr.ToString();

    public static async Task<WorkerProcess> StartAsync(WorkerOptions options, CancellationToken cancellationToken)
    {
        options = options.Validated();
        var script = WorkerScript.Extract(options.CacheRoot);
        var python = options.Python ?? PythonLocator.Locate();
        var captureDir = Path.Combine(options.CacheFolder, "capture");
        Directory.CreateDirectory(captureDir);
        var capture = Path.Combine(captureDir, $"worker-{Environment.ProcessId}-{Guid.NewGuid():N}.log");

        var info = new ProcessStartInfo(python, ["-u", "-B", script, "--capture", capture])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Clear();
        foreach (var (k, v) in WorkerEnvironment.Build())
            info.Environment[k] = v;
        info.Environment["PYTHONNOUSERSITE"] = "1";
        // Every extension a candidate builds goes through the content-addressed build cache (kbh_build_cache.py).
        info.Environment["KBH_BUILD_CACHE"] = Path.Combine(options.CacheFolder, "builds");
        info.Environment["KBH_FAST_BUILDS"] = options.FastBuilds ? "1" : "0";
        info.Environment["KBH_CC_PCH"] = options.PrecompiledHeaders ? "1" : "0";
        if (options.Cpus is { Count: > 0 } cpus)
            info.Environment["KBH_WORKER_CPUS"] = CpuPlan.Format(cpus);
        if (options.HostCpus is { Count: > 0 } host)
            info.Environment["KBH_HOST_CPUS"] = CpuPlan.Format(host);
        // The speed switches come from the settings (recorded in each verdict), never from the caller's environment.
        info.Environment["KBH_HOST_CORES"] = options.HostDrawsOwnCoresOnly ? "0" : "1";
        info.Environment["KBH_INIT_MEMO_BYTES"] = ((long)(options.InitMemoGib * (1L << 30))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (options.PinnedGib is { } pinned)
            info.Environment["KBH_PINNED_GIB"] = pinned.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var worker = new WorkerProcess(new Process { StartInfo = info }, options, capture);
        info.Environment["KBH_WORKER_NONCE"] = worker._nonce;
        worker._process.Start();
        if (options.LowPriority)
            LowerPriority(worker._process);
        Live.TryAdd(worker, 0);
        worker.StartReaders();
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

    // nice 19 before the worker runs any build; a process that is already gone has nothing left to lower.
    private static void LowerPriority(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <summary>Sends one job and waits for its answer, at most <paramref name="limit"/>; on time-out the worker is killed.</summary>
    public async Task<WorkerReply> RunAsync(JsonObject request, TimeSpan limit, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        request["id"] = id;
        try
        {
            await _process.StandardInput.WriteLineAsync(request.ToJsonString().AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            return await DiedAsync();
        }
        var queued = false;
        while (true)
        {
            var reply = await NextAnswerAsync(queued ? _options.GpuWaitTimeout : limit, cancellationToken, queued);
            if (reply.Outcome != WorkerOutcome.Answered)
                return reply;
            if (!reply.Body.TryGetProperty("id", out var got) || got.ValueKind != JsonValueKind.Number || got.GetInt64() != id)
                continue;
            // Progress, not the answer: time queued for a GPU that another worker is using does not count against
            // the job's limit (it is bounded by GpuWaitTimeout); once the GPU is ours, the job gets its whole limit.
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

    private async Task<WorkerReply> NextAnswerAsync(TimeSpan limit, CancellationToken cancellationToken, bool waitingForGpu = false)
    {
        using var timer = new CancellationTokenSource(limit, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            if (await _answers.Reader.WaitToReadAsync(linked.Token) && _answers.Reader.TryRead(out var body))
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

    private void StartReaders()
    {
        _ = Task.Run(async () =>
        {
            try
            {
                while (await _process.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (TryParse(line) is { } body)
                        _answers.Writer.TryWrite(body);
                }
            }
            catch (IOException)
            {
            }
            _answers.Writer.TryComplete();
        });
        _ = Task.Run(async () =>
        {
            var buffer = new char[4096];
            try
            {
                int n;
                while ((n = await _process.StandardError.ReadAsync(buffer)) > 0)
                    _stderr.Append(buffer.AsSpan(0, n));
            }
            catch (IOException)
            {
            }
        });
    }

    // Only lines that are JSON objects carrying this worker's nonce are answers.
    private JsonElement? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == _nonce
                ? doc.RootElement.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
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
        Live.TryRemove(this, out _);
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.WriteLine("{\"job\":\"shutdown\"}");
                _process.StandardInput.Flush();
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
