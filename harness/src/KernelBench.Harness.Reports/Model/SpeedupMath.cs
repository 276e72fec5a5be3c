using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Reports.Model;

/// <summary>The speedup numbers, computed one way for every report.</summary>
public static class SpeedupMath
{
    public static double? Point(Verdict? v)
    {
        if (v is null)
            return null;
        if (v.Speedup is { } s && double.IsFinite(s) && s > 0)
            return s;
        if (v.RefRuntime is { MeanMs: > 0 } r && v.Runtime is { MeanMs: > 0 } c)
            return r.MeanMs / c.MeanMs;
        return null;
    }

    /// <summary>
    /// Conservative lower bound of the speedup: the slowest plausible reference over the fastest plausible candidate is
    /// the upper bound, so the lower bound is the reference's 95% CI lower end over the candidate's 95% CI upper end.
    /// Null when either interval is missing.
    /// </summary>
    public static double? Lower(Verdict? v)
    {
        if (v?.RefRuntime is { CiLowerMs: > 0 } r && v.Runtime is { CiUpperMs: > 0 } c)
            return r.CiLowerMs / c.CiUpperMs;
        return null;
    }

    /// <summary>Geometric mean of positive values; null for none.</summary>
    public static double? GeometricMean(IReadOnlyCollection<double> values) =>
        values.Count == 0 ? null : Math.Exp(values.Average(Math.Log));

    public static double? Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            return null;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
