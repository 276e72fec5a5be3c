using System.Net;
using System.Text;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Html;

/// <summary>
/// report/problems/L{level}_{id}.html: one problem, self-contained. The best kernel's code first, then every attempt of
/// every chain on a timeline, then each attempt in full, chain by chain (see <see cref="AttemptSection"/>).
/// </summary>
public static class ProblemPage
{
    public const string Folder = "problems";

    /// <summary>The page's path relative to report.html.</summary>
    public static string RelativePath(ProblemKey key) => $"{Folder}/L{key.Level}_{key.Id}.html";

    public static string Render(ReportModel model, ProblemRow row)
    {
        var sb = new StringBuilder();
        var title = E($"{row.Key} {row.Name}".Trim());
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
          .Append(title).Append("</title>\n<style>").Append(PageAssets.Css).Append("</style></head><body>\n");
        sb.Append("<p><a href=\"../").Append(HtmlExporter.FileName).Append("\">&larr; report of run ").Append(E(model.Info.RunId)).Append("</a></p>\n");
        sb.Append("<h1>").Append(title).Append("</h1>\n");
        var chains = row.Timeline.Select(t => t.Record.Chain).Distinct().Count();
        sb.Append("<p>Best status <span class=\"status ").Append(TimelineSvg.StatusClass(row.BestStatus)).Append("\">").Append(E(row.BestStatus))
          .Append("</span>; ").Append(row.Attempts).Append(" attempt(s) in ").Append(chains).Append(" chain(s); time to first correct ")
          .Append(E(Duration(row.SecondsToFirstCorrect))).Append(row.AttemptsToFirstCorrect is { } n ? $" (attempt {n})" : "")
          .Append("; speedup ").Append(E(Speedup(row.Speedup))).Append(", lower 95% bound ").Append(E(Speedup(row.SpeedupLower)))
          .Append(row.Flags.Count > 0 ? "; flags " + E(string.Join(", ", row.Flags)) : "").Append(".</p>\n");
        if (row.Sha256.Length > 0)
            sb.Append("<p class=\"note\">Problem SHA-256 ").Append(E(row.Sha256)).Append("</p>\n");

        WriteBest(sb, row);
        if (row.Timeline.Count > 0)
        {
            sb.Append("<h2>Timeline</h2>\n");
            TimelineSvg.Write(sb, row.Timeline);
            sb.Append("<h2>Attempts</h2>\n");
        }
        foreach (var chain in row.Timeline.GroupBy(t => t.Record.Chain).OrderBy(g => g.Key))
        {
            sb.Append("<h3>Chain ").Append(chain.Key).Append("</h3>\n");
            Store.AttemptRecord? previous = null;
            foreach (var t in chain.OrderBy(t => t.Record.Index))
            {
                AttemptSection.Write(sb, t, previous);
                previous = t.Record;
            }
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void WriteBest(StringBuilder sb, ProblemRow row)
    {
        sb.Append("<h2>Best kernel</h2>\n");
        if (row.Best is not { } best)
        {
            sb.Append("<p>Never attempted.</p>\n");
            return;
        }
        var a = best.Record;
        var link = $"<a href=\"#{AttemptSection.Anchor(a)}\">chain {a.Chain}, attempt {a.Index}</a>";
        sb.Append(best.IsCorrect
            ? $"<p>The fastest correct attempt: {link}, speedup {E(Speedup(best.Speedup))} (lower 95% bound {E(Speedup(best.SpeedupLower))}).</p>\n"
            : $"<p>No attempt was correct; the one that got furthest: {link} ({E(a.Status)}).</p>\n");
        if (a.Code is null)
            sb.Append("<p class=\"note\">That attempt has no code.</p>\n");
        else
            sb.Append("<pre class=\"best\">").Append(E(a.Code)).Append("</pre>\n");
    }

    /// <summary>Writes every attempted problem's page under reportFolder/problems and returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(ReportModel model, string reportFolder)
    {
        var folder = Path.Combine(reportFolder, Folder);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var row in model.Problems.Where(r => r.Timeline.Count > 0))
        {
            var path = Path.Combine(reportFolder, RelativePath(row.Key));
            File.WriteAllText(path, Render(model, row));
            written.Add(path);
        }
        return written;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
