namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// The anytime curve at the exact budgets where problems first became correct (not sampled at minute steps), for plotting
/// as a step function: it starts at (0, 0), rises by 1/n at each first-correct budget, and runs on to the run's budget.
/// </summary>
public static class ExactAnytimeCurve
{
    /// <summary>Where every level's curve ends: the run's budget, or just past the last first-correct budget of any problem.</summary>
    public static double End(IReadOnlyList<ProblemRow> allRows, double? budgetMinutes)
    {
        var last = allRows.Select(r => r.SecondsToFirstCorrect ?? 0).DefaultIfEmpty(0).Max() / 60;
        var end = Math.Max(budgetMinutes ?? 0, last * 1.1);
        return end > 0 ? end : 1;
    }

    public static (double[] Minutes, double[] Percent) Compute(IReadOnlyList<ProblemRow> rows, double endMinutes) =>
        Compute(rows, r => r.SecondsToFirstCorrect / 60, endMinutes);

    /// <summary>The same curve on the attempts axis: a step at each problem's attempt count to its first correct.</summary>
    public static (double[] Attempts, double[] Percent) ByAttempts(IReadOnlyList<ProblemRow> rows)
    {
        var end = Math.Max(1, rows.Select(r => r.Attempts).DefaultIfEmpty(1).Max());
        return Compute(rows, r => r.AttemptsToFirstCorrect, end);
    }

    private static (double[] X, double[] Percent) Compute(IReadOnlyList<ProblemRow> rows, Func<ProblemRow, double?> firstCorrect, double endMinutes)
    {
        var times = rows.Select(firstCorrect).OfType<double>().Order().ToList();
        var n = rows.Count;
        var xs = new List<double> { 0 };
        var ys = new List<double> { 0 };
        for (var i = 0; i < times.Count; i++)
        {
            xs.Add(times[i]);
            ys.Add(n == 0 ? 0 : 100.0 * (i + 1) / n);
        }
        xs.Add(Math.Max(endMinutes, times.Count == 0 ? 0 : times[^1]));
        ys.Add(ys[^1]);
        return (xs.ToArray(), ys.ToArray());
    }
}
