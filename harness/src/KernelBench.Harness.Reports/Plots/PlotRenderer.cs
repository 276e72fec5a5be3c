using KernelBench.Harness.Reports.Model;
using ScottPlot;

namespace KernelBench.Harness.Reports.Plots;

/// <summary>
/// The report's plots, drawn with ScottPlot (SkiaSharp underneath; the Linux native library comes from
/// SkiaSharp.NativeAssets.Linux.NoDependencies, which ScottPlot references). Each plot is drawn on its own: one that fails
/// becomes a <see cref="ReportPlot"/> with an error and the others still render.
/// </summary>
public static class PlotRenderer
{
    public const int Width = 800;
    public const int Height = 420;

    public static IReadOnlyList<ReportPlot> RenderAll(ReportModel model) =>
    [
        Render("Accuracy against budget", "accuracy_vs_budget.png", () => AccuracyVsBudget(model)),
        Render("Speedup distribution (correct problems)", "speedup_distribution.png", () => SpeedupDistribution(model)),
        Render("fast_p against p (all levels)", "fast_p_vs_p.png", () => FastPVsP(model)),
    ];

    private static ReportPlot Render(string title, string file, Func<Plot> draw)
    {
        try
        {
            var plot = draw();
            plot.Title(title);
            return new ReportPlot(title, file, plot.GetImageBytes(Width, Height, ImageFormat.Png), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ReportPlot(title, file, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static Plot AccuracyVsBudget(ReportModel model)
    {
        var plot = new Plot();
        var groups = model.Problems.GroupBy(r => (int?)r.Key.Level).OrderBy(g => g.Key).Select(g => (g.Key, g.ToList())).ToList();
        groups.Add((null, model.Problems.ToList()));
        var end = ExactAnytimeCurve.End(model.Problems, model.Run.Manifest.BudgetMinutes);
        foreach (var (level, rows) in groups)
        {
            var (xs, ys) = ExactAnytimeCurve.Compute(rows, end);
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = level is { } l ? $"Level {l}" : "All levels";
            line.LineWidth = level is null ? 3 : 2;
            line.MarkerSize = 0;
            // The share holds from one first-correct budget until the next, so draw steps, not slopes.
            line.ConnectStyle = ConnectStyle.StepHorizontal;
        }
        plot.XLabel("Budget per problem (charged minutes)");
        plot.YLabel("Problems correct (%)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot SpeedupDistribution(ReportModel model)
    {
        var plot = new Plot();
        var bins = SpeedupBins.Compute(model.Problems);
        plot.Add.Bars(bins.Select(b => (double)b.Count).ToArray());
        plot.Axes.Bottom.SetTicks(bins.Select((_, i) => (double)i).ToArray(), bins.Select(b => b.Label).ToArray());
        plot.XLabel("Speedup over the reference");
        plot.YLabel("Correct problems");
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static Plot FastPVsP(ReportModel model)
    {
        var plot = new Plot();
        var curve = FastPCurve.Compute(model.Problems);
        var ps = curve.Select(f => f.P).ToArray();
        var point = plot.Add.Scatter(ps, curve.Select(f => (f.Share ?? double.NaN) * 100).ToArray());
        point.LegendText = "point speedup > p (KernelBench)";
        point.MarkerSize = 0;
        point.ConnectStyle = ConnectStyle.StepHorizontal;
        var noise = plot.Add.Scatter(ps, curve.Select(f => (f.NoiseAwareShare ?? double.NaN) * 100).ToArray());
        noise.LegendText = "95% lower bound > p (noise-aware)";
        noise.MarkerSize = 0;
        noise.ConnectStyle = ConnectStyle.StepHorizontal;
        plot.Add.VerticalLine(1.0).LinePattern = LinePattern.Dashed;
        plot.XLabel("p");
        plot.YLabel("fast_p (%)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
