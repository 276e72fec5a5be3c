using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Scoring.Baselines;

/// <summary>
/// A further baseline a candidate's speedup is also reported against (e.g. KernelBench's torch.compile timings, or
/// `kbh baseline --compile`'s), beside the speedup against the live reference. Named after its file.
/// </summary>
public sealed record ComparisonBaseline(string Name, BaselineFile File)
{
    public static ComparisonBaseline Load(string path) =>
        new(System.IO.Path.GetFileNameWithoutExtension(path), BaselineFile.Load(path));

    /// <summary>Each baseline's mean time over the candidate's mean time, for the baselines that time this problem.</summary>
    public static IReadOnlyDictionary<string, double> Speedups(IEnumerable<ComparisonBaseline> baselines, Problem problem, TimingSummary? runtime)
    {
        var speedups = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (runtime is not { MeanMs: > 0 })
            return speedups;
        foreach (var b in baselines)
            if (b.File.Find(problem.Level, problem.FileName) is { Mean: > 0 } entry
                && TimingStatistics.Speedup(BaselineFile.ToSummary(entry), runtime) is { } speedup)
                speedups[b.Name] = speedup;
        return speedups;
    }
}
