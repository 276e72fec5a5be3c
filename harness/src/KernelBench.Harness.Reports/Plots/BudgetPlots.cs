using KernelBench.Harness.Reports.Model;
using ScottPlot;

namespace KernelBench.Harness.Reports.Plots;

/// <summary>The anytime curves, one line per level and one over all levels, as exact steps on the attempts and the minutes axis.</summary>
public static class BudgetPlots
{
    public static Plot ByAttempts(ReportModel model)
    {
        var plot = Lines(model, rows => ExactAnytimeCurve.ByAttempts(rows));
        plot.XLabel("Attempts per problem");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    public static Plot ByMinutes(ReportModel model)
    {
        var end = ExactAnytimeCurve.End(model.Problems, model.Run.Manifest.BudgetMinutes);
        var plot = Lines(model, rows => ExactAnytimeCurve.Compute(rows, end));
        plot.XLabel("Budget per problem (charged minutes)");
        return plot;
    }

    private static Plot Lines(ReportModel model, Func<IReadOnlyList<ProblemRow>, (double[] X, double[] Y)> curve)
    {
        var plot = new Plot();
        var groups = model.Problems.GroupBy(r => (int?)r.Key.Level).OrderBy(g => g.Key).Select(g => (g.Key, (IReadOnlyList<ProblemRow>)g.ToList())).ToList();
        groups.Add((null, model.Problems));
        foreach (var (level, rows) in groups)
        {
            var (xs, ys) = curve(rows);
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = level is { } l ? $"Level {l} ({rows.Count})" : $"All levels ({rows.Count})";
            line.LineWidth = level is null ? 3 : 2;
            line.MarkerSize = 0;
            // The share holds from one first-correct budget until the next, so draw steps, not slopes.
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            if (level is null)
                line.LinePattern = LinePattern.Dashed;
        }
        plot.YLabel("Problems correct (%)");
        plot.Axes.SetLimitsY(0, 105);
        plot.Axes.Margins(left: 0);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
