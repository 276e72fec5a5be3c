namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// Per-level summaries. Every share has all the level's problems as denominator (unattempted ones count as failures).
/// fast_p: correct and speedup &gt; p (strictly); null ("not timed") when correct problems exist and none has a speedup.
/// Geometric mean and median are over correct problems with a measured speedup.
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
        // No correct problem timed at all (e.g. an import without a baseline): fast_p is unknown, not 0.
        var untimed = correct.Count > 0 && speedups.Count == 0;
        var noBounds = correct.Count > 0 && correct.All(r => r.SpeedupLower is null);
        var compiled = rows.Count(r => Compiled.Contains(r.BestStatus));
        return new LevelSummary
        {
            Level = level,
            Problems = n,
            Attempted = rows.Count(r => r.Attempts > 0),
            Correct = correct.Count,
            CorrectShare = Share(correct.Count, n),
            Compiled = compiled,
            CompiledShare = Share(compiled, n),
            UntimedCorrect = correct.Count - speedups.Count,
            FastP = options.PValues.Select(p =>
            {
                var point = correct.Count(r => r.Speedup > p);
                var noiseAware = correct.Count(r => r.SpeedupLower > p);
                return new FastP(p, point, untimed ? null : Share(point, n), noiseAware, noBounds ? null : Share(noiseAware, n));
            }).ToList(),
            SpeedupCount = speedups.Count,
            GeomeanSpeedup = SpeedupMath.GeometricMean(speedups),
            MedianSpeedup = SpeedupMath.Median(speedups),
        };
    }

    // Statuses reached only after the candidate built: KernelBench's "compiled" (its timeouts are recorded as compiled).
    private static readonly HashSet<string> Compiled = ["correct", "incorrect", "runtime_error", "timeout", "rejected"];

    private static double Share(int count, int total) => total == 0 ? 0 : (double)count / total;
}
