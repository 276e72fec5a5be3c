using System.Text.Json.Nodes;

namespace KernelBench.Harness.Scoring.Workers.Protocol;

/// <summary>
/// One job for the worker (kbh_jobs.py), written by hand as the JSON object the worker reads: no reflection, so a
/// trimmed single-file harness still works. Each kind writes exactly the keys the worker reads for it.
/// </summary>
public abstract record WorkerJob
{
    /// <summary>The worker's name for this kind of job ("job").</summary>
    public abstract string Job { get; }

    /// <summary>Where workers sharing a GPU take turns on it ("gpu_lock_dir"); none: not written.</summary>
    public string? GpuLockDir { get; init; }

    /// <summary>The limit the judge enforces on the candidate's own process ("timeout_s"); none: the worker's default.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>The request as sent, without the id the channel adds.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["job"] = Job };
        WriteFields(o);
        if (GpuLockDir is not null)
            o["gpu_lock_dir"] = GpuLockDir;
        if (TimeoutSeconds is { } timeout)
            o["timeout_s"] = timeout;
        return o;
    }

    /// <summary>The keys of this kind of job.</summary>
    protected virtual void WriteFields(JsonObject o)
    {
    }
}

/// <summary>Is the worker alive: answers {"ok": true}.</summary>
public sealed record PingJob : WorkerJob
{
    public override string Job => "ping";
}

/// <summary>`kbh doctor`: starts one candidate process and reports the sandbox it got.</summary>
public sealed record SandboxJob(string Sandbox = "auto") : WorkerJob
{
    public override string Job => "sandbox";

    protected override void WriteFields(JsonObject o) => o["sandbox"] = Sandbox;
}
