namespace KernelBench.Harness.Reports.Model;

/// <summary>fast_p over all problems on a fine grid of p, both ways, for the fast_p-against-p plot.</summary>
public static class FastPCurve
{
    public static IReadOnlyList<FastP> Compute(IReadOnlyList<ProblemRow> rows, double step = 0.05)
    {
        var top = Math.Max(3.0, Math.Ceiling(rows.Where(r => r.IsCorrect).Select(r => r.Speedup ?? 0).DefaultIfEmpty(0).Max()));
        top = Math.Min(top, 20);
        var grid = Enumerable.Range(0, (int)Math.Round(top / step) + 1).Select(i => i * step).ToList();
        return SummaryBuilder.Summarize(null, rows, new ReportOptions { PValues = grid }).FastP;
    }
}
