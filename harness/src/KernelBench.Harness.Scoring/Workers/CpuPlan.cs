using System.Globalization;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// Which cores each worker may use. A GPU worker times launch-bound models (MobileNetV1: ~2 ms of small kernels) whose
/// times follow how soon its launching thread gets a core: on the H200 run of 2026-12-02 the same candidate took
/// 1.98 ms in a warm run, 2.80 ms beside 16 builds at nice 19 and 3.77 ms beside three other GPU workers constructing models.
/// So each GPU worker gets cores of its own (two, or one when cores are scarce) and the build workers, whose compilers
/// inherit their affinity, share the rest. With fewer than four cores per GPU worker nothing is pinned.
/// A GPU worker's own parallel host work (KernelBench's seeded weights and inputs, drawn by kbh_fast_fill on threads of
/// the worker's) also runs on the builds' cores (<see cref="HostPool"/>): on two cores, constructing L2/55's
/// 32768-wide layer took 4.4 s, and a warm rerun builds nothing, so those twelve cores would sit idle.
/// </summary>
public sealed record CpuPlan(IReadOnlyList<IReadOnlyList<int>?> GpuWorkers, IReadOnlyList<int>? BuildWorkers)
{
    /// <summary>The cores GPU worker <paramref name="lane"/>'s own threads may draw on: its own, then the builds'.
    /// Null when nothing is pinned.</summary>
    public IReadOnlyList<int>? HostPool(int lane) =>
        GpuWorkers[lane] is { } own ? [.. own, .. BuildWorkers ?? []] : null;

    public static CpuPlan None(int gpuWorkers) => new(Enumerable.Repeat<IReadOnlyList<int>?>(null, gpuWorkers).ToList(), null);

    /// <param name="allowed">The cores this process may use (<see cref="AllowedCores"/>); null: unknown, nothing pinned.</param>
    public static CpuPlan For(IReadOnlyList<int>? allowed, int gpuWorkers)
    {
        if (allowed is null || gpuWorkers < 1 || allowed.Count < 4 * gpuWorkers)
            return None(gpuWorkers);
        var each = allowed.Count >= 8 * gpuWorkers ? 2 : 1;
        var gpu = Enumerable.Range(0, gpuWorkers).Select(i => (IReadOnlyList<int>?)allowed.Skip(i * each).Take(each).ToList()).ToList();
        return new CpuPlan(gpu, allowed.Skip(gpuWorkers * each).ToList());
    }

    /// <summary>The cores this process may run on (its affinity, as a Slurm or cgroup cpuset leaves it), or null off Linux.</summary>
    public static IReadOnlyList<int>? AllowedCores()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            return line is null ? null : ParseList(line["Cpus_allowed_list:".Length..]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>"0-3,8,10-11" → [0,1,2,3,8,10,11]; null when malformed.</summary>
    public static IReadOnlyList<int>? ParseList(string text)
    {
        var cores = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2 || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                return null;
            var to = from;
            if (range.Length == 2 && !int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out to) || to < from)
                return null;
            for (var c = from; c <= to; c++)
                cores.Add(c);
        }
        return cores.Count == 0 ? null : cores;
    }

    /// <summary>The form the worker reads from KBH_WORKER_CPUS.</summary>
    public static string Format(IReadOnlyList<int> cores) => string.Join(',', cores);
}
