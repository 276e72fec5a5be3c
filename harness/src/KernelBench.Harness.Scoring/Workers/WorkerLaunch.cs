using System.Diagnostics;
using System.Globalization;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>How a worker's process is started: its command line and its allow-listed environment.</summary>
internal static class WorkerLaunch
{
    /// <param name="capture">Where fd 1 and 2 of the worker (and of candidate code) go.</param>
    /// <param name="nonce">The mark every answer of this worker carries.</param>
    public static ProcessStartInfo StartInfo(WorkerOptions options, string python, string script, string capture, string nonce)
    {
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
        info.Environment["KBH_INIT_MEMO_BYTES"] = ((long)(options.InitMemoGib * (1L << 30))).ToString(CultureInfo.InvariantCulture);
        if (options.PinnedGib is { } pinned)
            info.Environment["KBH_PINNED_GIB"] = pinned.ToString(CultureInfo.InvariantCulture);
        info.Environment["KBH_WORKER_NONCE"] = nonce;
        return info;
    }

    // nice 19 before the worker runs any build; a process that is already gone has nothing left to lower.
    public static void LowerPriority(Process process)
    {
        try
        {
            process.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
