namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// fast_p as the exact step function of p it is, for one level: fast_p(p) = (correct problems with speedup &gt; p) / n. It
/// only changes at a problem's speedup, so the curve is its value at the axis start and at every speedup (where it drops,
/// since the test is strict), held until the next; no grid, so 0.97x is drawn below p = 1, never at it.
/// </summary>
public static class FastPSteps
{
    /// <summary>Points (p, percent) for a horizontal-step line from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static (double[] P, double[] Percent) Compute(IReadOnlyList<ProblemRow> rows, Func<ProblemRow, double?> speedup, double from, double to)
    {
        var n = rows.Count;
        var values = rows.Where(r => r.IsCorrect).Select(speedup).OfType<double>().Order().ToList();
        double Percent(double p) => n == 0 ? 0 : 100.0 * values.Count(v => v > p) / n;
        var xs = new List<double> { from };
        var ys = new List<double> { Percent(from) };
        foreach (var v in values.Distinct().Where(v => v > from && v < to))
        {
            xs.Add(v);
            ys.Add(Percent(v));
        }
        xs.Add(to);
        ys.Add(Percent(to));
        return (xs.ToArray(), ys.ToArray());
    }

    public static (double[] P, double[] Percent) Point(IReadOnlyList<ProblemRow> rows, double from, double to) =>
        Compute(rows, r => r.Speedup, from, to);

    public static (double[] P, double[] Percent) NoiseAware(IReadOnlyList<ProblemRow> rows, double from, double to) =>
        Compute(rows, r => r.SpeedupLower, from, to);
}
