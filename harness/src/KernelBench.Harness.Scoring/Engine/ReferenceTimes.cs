using System.Collections.Concurrent;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Baselines;
using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// The reference times a speedup divides: those this engine measured (in memory, by reference key) and those an
/// earlier run measured on the same GPU (<see cref="ReferenceTimingCache"/>, on disk), or a published baseline.
/// </summary>
internal sealed class ReferenceTimes(EngineOptions options, string cacheFolder)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<double>> _measured = new(StringComparer.Ordinal);
    private readonly ReferenceTimingCache _disk = new(cacheFolder);

    /// <summary>Names the disk entry: the reference key on this very GPU.</summary>
    public static string TimingKey(string refKey, Verdicts.EnvironmentInfo environment) =>
        refKey + "|" + environment.GpuName + "|" + environment.GpuUuid;

    /// <summary>Times already measured for this reference, in this engine or on disk; null: none yet.</summary>
    public IReadOnlyList<double>? Known(string refKey, string timingKey) =>
        _measured.TryGetValue(refKey, out var inMemory) ? inMemory : _disk.Get(timingKey);

    /// <summary>Keeps the reference's times: <paramref name="known"/> when there were some, else those just measured
    /// (which go to disk too when they were measured at all).</summary>
    public void Record(string refKey, string timingKey, IReadOnlyList<double>? known, IReadOnlyList<double> measured, bool measurePerformance)
    {
        if (known is null && measurePerformance)
            _disk.Put(timingKey, measured);
        _measured.TryAdd(refKey, known ?? measured);
    }

    /// <summary>The reference time a speedup divides: a published baseline when given, else the times measured beside
    /// the candidate (timing_order: interleaved), else the reference's own timing.</summary>
    public TimingSummary? Runtime(Problem problem, string refKey, IReadOnlyList<double> paired)
    {
        if (options.Baseline?.Find(problem.Level, problem.FileName) is { } published)
            return BaselineFile.ToSummary(published);
        if (paired.Count > 0)
            return TimingStatistics.Summarize(paired);
        return _measured.TryGetValue(refKey, out var times) ? TimingStatistics.Summarize(times) : null;
    }
}
