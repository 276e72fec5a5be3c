namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// The anytime curve, per level and over all levels, on two axes: charged minutes (see <see cref="TimedAttempt"/> for the
/// rule) and attempt count. Steps run from one step up to the run's budget or the largest value observed, whichever is larger.
/// </summary>
public static class BudgetCurveBuilder
{
    private const int MaxPoints = 2000;

    public static IReadOnlyList<BudgetPoint> Build(IReadOnlyList<ProblemRow> rows, RunData run, ReportOptions options)
    {
        var all = rows.SelectMany(r => r.Timeline).ToList();
        var maxMinutes = Math.Max(run.Manifest.BudgetMinutes ?? 0, all.Count == 0 ? 0 : all.Max(t => t.BudgetSeconds) / 60);
        var maxAttempts = Math.Max(run.Manifest.BudgetAttempts ?? 0, all.Count == 0 ? 0 : all.Max(t => t.AttemptNumber));
        var minuteSteps = Steps(options.MinuteStep, maxMinutes);
        var attemptSteps = Enumerable.Range(1, Math.Min(maxAttempts, MaxPoints)).Select(i => (double)i).ToList();

        var groups = rows.GroupBy(r => (int?)r.Key.Level).OrderBy(g => g.Key).Select(g => (g.Key, g.ToList())).ToList();
        groups.Add((null, rows.ToList()));
        var points = new List<BudgetPoint>();
        foreach (var (level, members) in groups)
        {
            points.AddRange(minuteSteps.Select(m => Point(level, BudgetPoint.Minutes, m, members, t => t.BudgetSeconds <= m * 60 + 1e-9)));
            points.AddRange(attemptSteps.Select(k => Point(level, BudgetPoint.AttemptsUnit, k, members, t => t.AttemptNumber <= k)));
        }
        return points;
    }

    private static List<double> Steps(double step, double max)
    {
        if (step <= 0)
            throw new ArgumentOutOfRangeException(nameof(step), "the minute step must be positive");
        var count = Math.Min(MaxPoints, (int)Math.Ceiling(max / step - 1e-9));
        return Enumerable.Range(1, Math.Max(count, max > 0 ? 1 : 0)).Select(i => i * step).ToList();
    }

    private static BudgetPoint Point(int? level, string unit, double step, List<ProblemRow> members, Func<TimedAttempt, bool> within)
    {
        var correct = members.Count(r => r.Timeline.Any(t => t.IsCorrect && within(t)));
        var fast1 = members.Count(r => r.Timeline.Any(t => t.IsCorrect && t.Speedup > 1 && within(t)));
        var n = members.Count;
        return new BudgetPoint(level, unit, step, n, correct, n == 0 ? 0 : (double)correct / n, fast1, n == 0 ? 0 : (double)fast1 / n);
    }
}
