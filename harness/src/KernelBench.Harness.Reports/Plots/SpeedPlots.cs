using KernelBench.Harness.Reports.Model;
using ScottPlot;

namespace KernelBench.Harness.Reports.Plots;

/// <summary>Speedups on a log axis (see <see cref="LogRange"/>): fast_p against p per level, and every correct problem's speedup by level.</summary>
public static class SpeedPlots
{
    public static Plot FastP(IReadOnlyList<ProblemRow> rows)
    {
        var plot = new Plot();
        var (lo, hi) = LogRange.For(Speedups(rows));
        var (px, py) = FastPSteps.Point(rows, lo, hi);
        var point = plot.Add.Scatter(px.Select(Math.Log10).ToArray(), py);
        point.LegendText = "point speedup > p (KernelBench)";
        point.MarkerSize = 0;
        point.LineWidth = 2;
        point.ConnectStyle = ConnectStyle.StepHorizontal;
        var (nx, ny) = FastPSteps.NoiseAware(rows, lo, hi);
        var noise = plot.Add.Scatter(nx.Select(Math.Log10).ToArray(), ny);
        noise.LegendText = "95% lower bound > p (noise-aware)";
        noise.MarkerSize = 0;
        noise.LineWidth = 2;
        noise.LinePattern = LinePattern.Dashed;
        noise.ConnectStyle = ConnectStyle.StepHorizontal;
        plot.Add.VerticalLine(0).LinePattern = LinePattern.Dotted;
        LogX(plot, lo, hi);
        plot.XLabel("p (speedup threshold, log scale)");
        plot.YLabel($"fast_p (% of {rows.Count} problems)");
        plot.Axes.SetLimitsY(0, 105);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>One row of points per level (deterministic jitter by problem id), the level's median as a bar, 1x dotted.</summary>
    public static Plot Distribution(ReportModel model)
    {
        var plot = new Plot();
        var (lo, hi) = LogRange.For(Speedups(model.Problems));
        var levels = model.Problems.Select(r => r.Key.Level).Distinct().Order().ToList();
        var labels = new List<string>();
        for (var i = 0; i < levels.Count; i++)
        {
            var rows = model.Problems.Where(r => r.Key.Level == levels[i] && r.IsCorrect && r.Speedup is > 0).ToList();
            labels.Add($"Level {levels[i]} (n={rows.Count})");
            if (rows.Count == 0)
                continue;
            var xs = rows.Select(r => Math.Log10(Math.Clamp(r.Speedup!.Value, lo, hi))).ToArray();
            var ys = rows.Select(r => i + Jitter(r.Key.Id)).ToArray();
            var dots = plot.Add.ScatterPoints(xs, ys);
            dots.MarkerSize = 9;
            var median = Math.Log10(SpeedupMath.Median(rows.Select(r => r.Speedup!.Value).ToList())!.Value);
            var bar = plot.Add.Line(median, i - 0.35, median, i + 0.35);
            bar.LineWidth = 3;
            bar.LineColor = Colors.Black;
        }
        plot.Add.VerticalLine(0).LinePattern = LinePattern.Dotted;
        LogX(plot, lo, hi);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, levels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
        plot.Axes.SetLimitsY(-0.6, Math.Max(levels.Count, 1) - 0.4);
        plot.XLabel("Speedup over the reference (log scale; bar: median)");
        return plot;
    }

    /// <summary>What the axis hides: speedups past its ends, drawn at the edge.</summary>
    public static string Caption(IReadOnlyList<ProblemRow> rows)
    {
        var (_, hi) = LogRange.For(Speedups(rows));
        var beyond = Speedups(rows).Count(s => s > hi);
        return beyond == 0 ? "" : $"{beyond} correct problem(s) above {Format.Num(hi)}x are drawn at the axis end.";
    }

    private static IEnumerable<double> Speedups(IEnumerable<ProblemRow> rows) =>
        rows.Where(r => r.IsCorrect).SelectMany(r => new[] { r.Speedup, r.SpeedupLower }).OfType<double>().Where(v => v > 0);

    // Spread a level's points over ±0.25 so equal speedups stay visible; by id, so the picture never changes between runs.
    private static double Jitter(int id) => ((id * 0.6180339887) % 1.0 - 0.5) * 0.5;

    private static void LogX(Plot plot, double lo, double hi)
    {
        var ticks = LogRange.Ticks(lo, hi);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ticks.Select(Math.Log10).ToArray(), ticks.Select(t => Format.Num(t) + "x").ToArray());
        plot.Axes.SetLimitsX(Math.Log10(lo), Math.Log10(hi));
    }
}
