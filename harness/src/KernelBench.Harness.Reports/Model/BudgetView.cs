using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// The accuracy-against-budget tables of the Markdown and HTML reports: the minutes axis when the run charged any time,
/// and always the attempts axis (an import records no charged time, so its minutes table would be empty).
/// </summary>
public static class BudgetView
{
    public static readonly IReadOnlyList<string> Header = ["Level", "Budget", "Correct", "fast_1"];

    public static bool HasChargedTime(ReportModel m) => m.Budget.Any(b => b.Unit == BudgetPoint.Minutes);

    public static IEnumerable<(string Title, IEnumerable<IReadOnlyList<string>> Rows)> Tables(ReportModel m)
    {
        var tables = new List<(string, IEnumerable<IReadOnlyList<string>>)>();
        if (HasChargedTime(m))
            tables.Add(("Charged minutes per problem", Rows(m, BudgetPoint.Minutes, s => $"{Num(s)} min")));
        tables.Add(("Attempts per problem", Rows(m, BudgetPoint.AttemptsUnit, s => $"{Num(s)} attempt{(s == 1 ? "" : "s")}")));
        return tables;
    }

    private static IEnumerable<IReadOnlyList<string>> Rows(ReportModel m, string unit, Func<double, string> step) =>
        Thin(m.Budget.Where(b => b.Unit == unit)).Select(b => (IReadOnlyList<string>)
            [b.LevelText, step(b.Step), $"{b.Correct} ({Percent(b.CorrectShare)})", $"{b.Fast1} ({Percent(b.Fast1Share)})"]);

    /// <summary>At most <see cref="MaxStepsPerLevel"/> evenly spaced steps per level, always with the last (the full budget).</summary>
    public static IEnumerable<BudgetPoint> Thin(IEnumerable<BudgetPoint> points)
    {
        foreach (var level in points.GroupBy(p => p.Level))
        {
            var list = level.ToList();
            var stride = (int)Math.Ceiling(list.Count / (double)MaxStepsPerLevel);
            for (var i = 0; i < list.Count; i++)
                if ((list.Count - 1 - i) % stride == 0)
                    yield return list[i];
        }
    }

    public const int MaxStepsPerLevel = 10;
}
