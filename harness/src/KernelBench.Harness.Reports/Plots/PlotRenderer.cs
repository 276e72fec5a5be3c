using KernelBench.Harness.Reports.Model;
using ScottPlot;

namespace KernelBench.Harness.Reports.Plots;

/// <summary>
/// The report's plots, drawn with ScottPlot (SkiaSharp underneath; the Linux native library comes from
/// SkiaSharp.NativeAssets.Linux.NoDependencies, which ScottPlot references), each as PNG and SVG. Each plot is drawn on its
/// own: one that fails becomes a <see cref="ReportPlot"/> with an error and the others still render.
/// </summary>
public static class PlotRenderer
{
    public const int Width = 800;
    public const int Height = 420;

    public static IReadOnlyList<ReportPlot> RenderAll(ReportModel model)
    {
        var plots = new List<ReportPlot>
        {
            Render("Accuracy against budget (attempts)", "accuracy_vs_attempts.png", () => BudgetPlots.ByAttempts(model)),
        };
        // An import records no charged time: its minute axis would be a flat line at 0, so it is left out and said so.
        if (BudgetView.HasChargedTime(model))
            plots.Add(Render("Accuracy against budget (charged minutes)", "accuracy_vs_minutes.png", () => BudgetPlots.ByMinutes(model)));
        plots.Add(Render("Speedup of correct problems, per level", "speedup_distribution.png", () => SpeedPlots.Distribution(model)) with
        {
            Caption = SpeedPlots.Caption(model.Problems),
        });
        foreach (var level in model.Problems.Select(r => r.Key.Level).Distinct().Order())
        {
            var rows = model.Problems.Where(r => r.Key.Level == level).ToList();
            plots.Add(Render($"fast_p against p, level {level}", $"fast_p_level{level}.png", () => SpeedPlots.FastP(rows)) with
            {
                Caption = SpeedPlots.Caption(rows),
            });
        }
        return plots;
    }

    private static ReportPlot Render(string title, string file, Func<Plot> draw)
    {
        try
        {
            var plot = draw();
            plot.Title(title);
            return new ReportPlot(title, file, plot.GetImageBytes(Width, Height, ImageFormat.Png), null) { Svg = plot.GetSvgXml(Width, Height) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ReportPlot(title, file, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
