using BenchmarkDotNet.Mathematics;

namespace KernelBench.Harness.Scoring.Timing;

/// <summary>Turns a worker's raw per-trial times into a <see cref="TimingSummary"/> with BenchmarkDotNet's statistics,
/// so every number in every report is computed one way.</summary>
public static class TimingStatistics
{
    public static TimingSummary? Summarize(IReadOnlyList<double> ms)
    {
        var values = ms.Where(double.IsFinite).ToArray();
        if (values.Length == 0)
            return null;
        if (values.Length == 1)
            return new TimingSummary
            {
                MeanMs = values[0], MedianMs = values[0], MinMs = values[0], MaxMs = values[0],
                CiLowerMs = values[0], CiUpperMs = values[0], Trials = 1,
            };
        var stats = new Statistics(values);
        var ci = stats.GetConfidenceInterval(Perfolizer.Mathematics.Common.ConfidenceLevel.L95);
        return new TimingSummary
        {
            MeanMs = stats.Mean,
            MedianMs = stats.Median,
            StdMs = stats.StandardDeviation,
            MinMs = stats.Min,
            MaxMs = stats.Max,
            CiLowerMs = ci.Lower,
            CiUpperMs = ci.Upper,
            Trials = values.Length,
        };
    }

    /// <summary>Reference time / candidate time (means); null when either is missing or the candidate took no time.</summary>
    public static double? Speedup(TimingSummary? reference, TimingSummary? candidate) =>
        reference is null || candidate is null || candidate.MeanMs <= 0 ? null : reference.MeanMs / candidate.MeanMs;
}
