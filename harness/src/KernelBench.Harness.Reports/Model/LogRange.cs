namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// The speedup axis of the plots: logarithmic, from the 1-2-5 value at or below the smallest speedup (at most 0.5x) to the
/// one at or above the largest (at least 2x), never past <see cref="Cap"/>. On a log axis a 102x outlier costs about two
/// decades, not the whole 0-2x range; a value beyond the cap is drawn at the edge and counted in the caption.
/// </summary>
public static class LogRange
{
    public const double Cap = 1000;

    public static (double Lo, double Hi) For(IEnumerable<double> speedups)
    {
        var values = speedups.Where(v => v > 0 && double.IsFinite(v)).ToList();
        var lo = Math.Min(0.5, values.DefaultIfEmpty(1).Min());
        var hi = Math.Max(2, values.DefaultIfEmpty(1).Max());
        return (Down(lo), Math.Min(Up(hi), Cap));
    }

    /// <summary>The 1-2-5 series (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, …) between lo and hi, for tick labels.</summary>
    public static IReadOnlyList<double> Ticks(double lo, double hi)
    {
        var result = new List<double>();
        for (var e = (int)Math.Floor(Math.Log10(lo)); e <= (int)Math.Ceiling(Math.Log10(hi)); e++)
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                var v = Round(m * Math.Pow(10, e));
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                    result.Add(v);
            }
        return result;
    }

    private static double Down(double v) => Series(v).Where(s => s <= v * (1 + 1e-9)).Max();

    private static double Up(double v) => Series(v).Where(s => s >= v * (1 - 1e-9)).Min();

    private static IEnumerable<double> Series(double v)
    {
        var e = (int)Math.Floor(Math.Log10(v));
        for (var k = e - 1; k <= e + 1; k++)
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
                yield return Round(m * Math.Pow(10, k));
    }

    // 0.1 * 2 is 0.2000000004 in binary; round to the digits that matter so labels and comparisons are exact.
    private static double Round(double v) => double.Parse(v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
}
