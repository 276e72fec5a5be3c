namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// Per-level summaries. Every share has all the level's problems as denominator (unattempted ones count as failures).
/// fast_p: correct and speedup &gt; p (strictly). Geometric mean and median are over correct problems with a measured speedup.
/// </summary>
public static class SummaryBuilder
{
    public static IReadOnlyList<LevelSummary> Build(IReadOnlyList<ProblemRow> rows, ReportOptions options)
    {
        var result = rows.GroupBy(r => r.Key.Level).OrderBy(g => g.Key)
            .Select(g => Summarize(g.Key, g.ToList(), options)).ToList();
        result.Add(Summarize(null, rows, options));
        return result;
    }

    public static LevelSummary Summarize(int? level, IReadOnlyList<ProblemRow> rows, ReportOptions options)
    {
        var n = rows.Count;
        var correct = rows.Where(r => r.IsCorrect).ToList();
        var speedups = correct.Where(r => r.Speedup is > 0).Select(r => r.Speedup!.Value).ToList();
        return new LevelSummary
        {
            Level = level,
            Problems = n,
            Attempted = rows.Count(r => r.Attempts > 0),
            Correct = correct.Count,
            CorrectShare = Share(correct.Count, n),
            FastP = options.PValues.Select(p =>
            {
                var point = correct.Count(r => r.Speedup > p);
                var noiseAware = correct.Count(r => r.SpeedupLower > p);
                return new FastP(p, point, Share(point, n), noiseAware, Share(noiseAware, n));
            }).ToList(),
            SpeedupCount = speedups.Count,
            GeomeanSpeedup = SpeedupMath.GeometricMean(speedups),
            MedianSpeedup = SpeedupMath.Median(speedups),
        };
    }

    private static double Share(int count, int total) => total == 0 ? 0 : (double)count / total;
}
