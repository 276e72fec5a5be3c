using System.Net;
using System.Text;
using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Markdown;
using KernelBench.Harness.Reports.Model;
using KernelBench.Harness.Reports.Plots;
using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Html;

/// <summary>
/// report.html: self-contained (inline CSS and script, plots as base64 PNG data URIs, nothing fetched), so it works from a
/// file:// path and can be mailed as it is; plus a page per attempted problem (problems/, see <see cref="ProblemPage"/>) that
/// the problems table links to. Each plot is also written to report/plots/ as PNG and SVG. A plot that fails shows its
/// error in place.
/// </summary>
public sealed class HtmlExporter : IReportExporter
{
    public const string FileName = "report.html";
    public const string PlotsFolder = "plots";
    public const string ProblemsTableId = "problems";

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
            if (plot.Svg is not null)
            {
                var svg = Path.Combine(plotDir, plot.SvgFileName);
                File.WriteAllText(svg, plot.Svg);
                written.Add(svg);
            }
        }
        written.AddRange(ProblemPage.WriteAll(model, reportFolder));
        var path = Path.Combine(reportFolder, FileName);
        File.WriteAllText(path, Render(model, plots));
        written.Insert(0, path);
        return written;
    }

    public static string Render(ReportModel model, IReadOnlyList<ReportPlot> plots)
    {
        var sb = new StringBuilder();
        var title = E($"KernelBench report: {model.Info.RunId}");
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
          .Append(title).Append("</title>\n<style>").Append(PageAssets.Css).Append("</style></head><body>\n<h1>").Append(title).Append("</h1>\n");
        if (model.Run.IsPartial)
        {
            sb.Append("<div class=\"partial\"><strong>Partial report</strong>: the run folder is incomplete; these numbers cover only what could be read.<ul>");
            foreach (var problem in model.Run.Problems)
                sb.Append("<li>").Append(E(problem)).Append("</li>");
            sb.Append("</ul></div>\n");
        }
        foreach (var warning in model.Warnings)
            sb.Append("<p class=\"warning\"><strong>Warning</strong>: ").Append(E(warning)).Append("</p>\n");
        foreach (var note in model.Run.Notes)
            sb.Append("<p class=\"note\">Note: ").Append(E(note)).Append("</p>\n");
        HtmlTable.Write(sb, ["Setting", "Value"], MarkdownExporter.RunSettings(model.Info).Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]));

        sb.Append("<h2>Summary</h2>\n");
        foreach (var (trackTitle, levels) in SummaryView.Tracks(model))
        {
            sb.Append("<h3>").Append(E(trackTitle)).Append("</h3>\n");
            HtmlTable.Write(sb, SummaryView.Header(model), SummaryView.Rows(levels));
        }
        sb.Append("<p class=\"note\">").Append(E(MarkdownExporter.Definitions.Trim().Replace("*", ""))).Append("</p>\n");
        sb.Append("<h3>Flags</h3>\n<dl class=\"legend\">");
        foreach (var (flag, meaning) in SummaryView.Legend(model))
            sb.Append("<dt><code>").Append(E(flag)).Append("</code></dt><dd>").Append(E(meaning)).Append("</dd>");
        sb.Append("</dl>\n");

        sb.Append("<h2>Problems</h2>\n<p class=\"note\">Click a header to sort; a problem's name opens its page (every attempt, its prompt, answer and code).</p>\n");
        SortableTable.WriteFilters(sb, ProblemsTableId, 2, "Best status", model.Problems.Select(r => r.BestStatus));
        SortableTable.Write(sb, ProblemsTableId,
            ["Problem", "Name", "Best status", "Attempts", "Time to correct", "Runtime ms", "Reference ms", "Speedup", "Lower 95%", "Flags"],
            model.Problems.Select(r => (IReadOnlyList<Cell>)
            [
                new Cell(r.Key.ToString(), Sort: (r.Key.Level * 1_000_000 + r.Key.Id).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Cell(r.Name.Length > 0 ? r.Name : r.Key.ToString(), Wrap: true, Href: r.Timeline.Count > 0 ? ProblemPage.RelativePath(r.Key) : null),
                r.BestStatus,
                new Cell(r.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), Numeric: true),
                new Cell(Duration(r.SecondsToFirstCorrect), SortableTable.Sort(r.SecondsToFirstCorrect), Numeric: true),
                new Cell(Ms(r.BestRuntimeMs), SortableTable.Sort(r.BestRuntimeMs), Numeric: true),
                new Cell(Ms(r.RefRuntimeMs), SortableTable.Sort(r.RefRuntimeMs), Numeric: true),
                new Cell(Speedup(r.Speedup), SortableTable.Sort(r.Speedup), Numeric: true),
                new Cell(Speedup(r.SpeedupLower), SortableTable.Sort(r.SpeedupLower), Numeric: true),
                new Cell(string.Join(", ", r.Flags), Wrap: true),
            ]));
        WritePlots(sb, model, plots);

        sb.Append("<h2>Accuracy against budget</h2>\n");
        if (!BudgetView.HasChargedTime(model))
            sb.Append("<p class=\"note\">No charged time is recorded for this run, so only the attempts axis is shown.</p>\n");
        foreach (var (tableTitle, rows) in BudgetView.Tables(model))
        {
            sb.Append("<h3>").Append(E(tableTitle)).Append("</h3>\n");
            HtmlTable.Write(sb, BudgetView.Header, rows);
        }

        sb.Append("<script>").Append(PageAssets.Script).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    private static void WritePlots(StringBuilder sb, ReportModel model, IReadOnlyList<ReportPlot> plots)
    {
        sb.Append("<h2>Plots</h2>\n<p class=\"note\">Each plot is also in plots/ as PNG and SVG. Speedup axes are logarithmic; ")
          .Append("curves are exact steps (a problem at 0.97x counts for p below 0.97 only).</p>\n");
        if (!BudgetView.HasChargedTime(model))
            sb.Append("<p class=\"note\">No charged time recorded: the minutes plot is left out.</p>\n");
        foreach (var plot in plots)
        {
            sb.Append("<figure>");
            if (plot.Png is not null)
                sb.Append("<img alt=\"").Append(E(plot.Title)).Append("\" width=\"").Append(PlotRenderer.Width)
                  .Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(plot.Png)).Append("\">");
            else
                sb.Append("<div class=\"failed\">Plot failed: ").Append(E(plot.Error ?? "")).Append("</div>");
            sb.Append("<figcaption>").Append(E(plot.Title)).Append(plot.Caption.Length > 0 ? ". " + E(plot.Caption) : "").Append("</figcaption></figure>\n");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
