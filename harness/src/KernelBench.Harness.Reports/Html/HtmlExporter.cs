using System.Net;
using System.Text;
using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Markdown;
using KernelBench.Harness.Reports.Model;
using KernelBench.Harness.Reports.Plots;
using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Html;

/// <summary>
/// report.html: one self-contained file (inline CSS, plots as base64 PNG data URIs, no scripts, nothing fetched), so it can
/// be mailed or attached as it is. The PNGs are also written to report/plots/. A plot that fails shows its error in place.
/// </summary>
public sealed class HtmlExporter : IReportExporter
{
    public const string FileName = "report.html";
    public const string PlotsFolder = "plots";

    public string Name => "report.html";

    public IReadOnlyList<string> Export(ReportModel model, string reportFolder)
    {
        var plots = PlotRenderer.RenderAll(model);
        var written = new List<string>();
        var plotDir = Path.Combine(reportFolder, PlotsFolder);
        Directory.CreateDirectory(plotDir);
        foreach (var plot in plots.Where(p => p.Png is not null))
        {
            var file = Path.Combine(plotDir, plot.FileName);
            File.WriteAllBytes(file, plot.Png!);
            written.Add(file);
        }
        var path = Path.Combine(reportFolder, FileName);
        File.WriteAllText(path, Render(model, plots));
        written.Insert(0, path);
        return written;
    }

    public static string Render(ReportModel model, IReadOnlyList<ReportPlot> plots)
    {
        var sb = new StringBuilder();
        var title = WebUtility.HtmlEncode($"KernelBench report: {model.Info.RunId}");
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(title).Append("</title>\n");
        sb.Append("<style>").Append(Css).Append("</style></head><body>\n<h1>").Append(title).Append("</h1>\n");
        if (model.Run.IsPartial)
        {
            sb.Append("<div class=\"partial\"><strong>Partial report</strong>: the run folder is incomplete; these numbers cover only what could be read.<ul>");
            foreach (var problem in model.Run.Problems)
                sb.Append("<li>").Append(WebUtility.HtmlEncode(problem)).Append("</li>");
            sb.Append("</ul></div>\n");
        }
        foreach (var warning in model.Warnings)
            sb.Append("<p class=\"warning\"><strong>Warning</strong>: ").Append(WebUtility.HtmlEncode(warning)).Append("</p>\n");
        foreach (var note in model.Run.Notes)
            sb.Append("<p class=\"note\">Note: ").Append(WebUtility.HtmlEncode(note)).Append("</p>\n");
        HtmlTable.Write(sb, ["Setting", "Value"], MarkdownExporter.RunSettings(model.Info).Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]));

        sb.Append("<h2>Summary</h2>\n");
        foreach (var (trackTitle, levels) in SummaryView.Tracks(model))
        {
            sb.Append("<h3>").Append(WebUtility.HtmlEncode(trackTitle)).Append("</h3>\n");
            HtmlTable.Write(sb, SummaryView.Header(model), SummaryView.Rows(levels));
        }
        sb.Append("<p class=\"note\">").Append(WebUtility.HtmlEncode(MarkdownExporter.Definitions.Trim().Replace("*", ""))).Append("</p>\n");
        sb.Append("<h3>Flags</h3>\n<dl class=\"legend\">");
        foreach (var (flag, meaning) in SummaryView.Legend(model))
            sb.Append("<dt><code>").Append(WebUtility.HtmlEncode(flag)).Append("</code></dt><dd>").Append(WebUtility.HtmlEncode(meaning)).Append("</dd>");
        sb.Append("</dl>\n");

        sb.Append("<h2>Plots</h2>\n");
        foreach (var plot in plots)
        {
            sb.Append("<figure>");
            if (plot.Png is not null)
                sb.Append("<img alt=\"").Append(WebUtility.HtmlEncode(plot.Title)).Append("\" width=\"").Append(PlotRenderer.Width)
                  .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(plot.Png)).Append("\">");
            else
                sb.Append("<div class=\"failed\">Plot failed: ").Append(WebUtility.HtmlEncode(plot.Error ?? "")).Append("</div>");
            sb.Append("<figcaption>").Append(WebUtility.HtmlEncode(plot.Title)).Append("</figcaption></figure>\n");
        }

        sb.Append("<h2>Accuracy against budget</h2>\n");
        HtmlTable.Write(sb, ["Level", "Budget", "Correct", "fast_1"],
            MarkdownExporter.Thin(model.Budget.Where(b => b.Unit == BudgetPoint.Minutes)).Select(b => (IReadOnlyList<string>)
                [b.LevelText, $"{Num(b.Step)} min", Percent(b.CorrectShare), Percent(b.Fast1Share)]));

        sb.Append("<h2>Problems</h2>\n");
        HtmlTable.Write(sb, ["Problem", "Name", "Best status", "Attempts", "Minutes to correct", "Runtime ms", "Reference ms", "Speedup", "Lower 95%", "Flags"],
            model.Problems.Select(r => (IReadOnlyList<string>)
            [
                r.Key.ToString(), r.Name, r.BestStatus, r.Attempts.ToString(), Minutes(r.SecondsToFirstCorrect),
                Ms(r.BestRuntimeMs), Ms(r.RefRuntimeMs), Speedup(r.Speedup), Speedup(r.SpeedupLower), string.Join(", ", r.Flags),
            ]));
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private const string Css =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}" +
        "table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}" +
        "th{background:#f3f3f3}tbody tr:nth-child(even){background:#fafafa}.note{color:#555;font-size:13px;max-width:900px}" +
        ".warning{background:#fdecea;border:1px solid #d33;padding:.5em 1em;margin:1em 0;font-size:14px}" +
        ".legend{font-size:13px}.legend dd{margin:0 0 .3em 1.5em;color:#444}" +
        ".partial{background:#fff4e5;border:1px solid #f0a020;padding:.5em 1em;margin:1em 0}" +
        ".failed{background:#fdecea;border:1px solid #d33;padding:1em;width:760px}figure{margin:1em 0}" +
        "figcaption{color:#555;font-size:13px}img{max-width:100%;height:auto;border:1px solid #eee}";
}
