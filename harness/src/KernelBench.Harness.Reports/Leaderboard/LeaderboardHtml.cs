using System.Net;
using System.Text;
using KernelBench.Harness.Reports.Html;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>
/// The leaderboard as one self-contained page: per level, one table per comparison group (runs in different groups are
/// never ranked together; the group's heading gives its comparability key and how it differs from group 1), rows sortable
/// in the browser, each run linked to its report.
/// </summary>
public static class LeaderboardHtml
{
    public static readonly IReadOnlyList<string> Header =
        ["Rank", "Model", "Strategy", "Budget", "Problems", "Correct", "fast_1 noise-aware", "fast_1", "Geomean", "Median", "Run", "Note"];

    public static string Render(IReadOnlyList<LeaderboardRow> rows, Func<LeaderboardRow, string?> reportLink)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>KernelBench leaderboard</title>\n<style>")
          .Append(PageAssets.Css).Append("</style></head><body>\n<h1>KernelBench leaderboard</h1>\n<p class=\"note\">")
          .Append(E("Ranked within each comparison group only: runs that differ in problem set, precision, tolerance, timing method or order, " +
                    "reference times, GPU, trial counts or which attempt is scored are never ranked together. Rank: complete runs before partial ones, " +
                    "then noise-aware fast_1 (the speedup's 95% lower bound above 1), ties by point fast_1, then geometric-mean speedup. " +
                    "Click a header to sort a table; a run's id opens its report."))
          .Append("</p>\n");
        foreach (var level in rows.GroupBy(r => r.Level.LevelText))
        {
            sb.Append("<h2>Level ").Append(E(level.Key)).Append("</h2>\n");
            var first = level.Where(r => r.Group == 1).Select(r => ComparisonKey.Of(r.Info)).FirstOrDefault();
            foreach (var group in level.GroupBy(r => r.Group).OrderBy(g => g.Key))
            {
                var key = ComparisonKey.Of(group.First().Info);
                sb.Append("<h3>Group ").Append(group.Key).Append("</h3>\n<p class=\"note\">").Append(E(Describe(group.First().Info))).Append("</p>\n");
                if (group.Key > 1 && first is not null)
                    sb.Append("<p class=\"warning\">Not comparable with group 1: ").Append(E(string.Join("; ", key.DifferencesFrom(first)))).Append(".</p>\n");
                SortableTable.Write(sb, $"level{level.Key}-group{group.Key}", Header, group.OrderBy(r => r.Rank).Select(r => Row(r, reportLink(r))));
            }
        }
        sb.Append("<script>").Append(PageAssets.Script).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    private static IReadOnlyList<Cell> Row(LeaderboardRow r, string? link) =>
    [
        new Cell(r.Rank + (r.Partial ? " (partial)" : ""), Sort: r.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), Numeric: true),
        r.Info.Model,
        r.Info.Strategy,
        r.Info.Budget,
        new Cell(r.Level.Problems.ToString(System.Globalization.CultureInfo.InvariantCulture), Numeric: true),
        new Cell($"{r.Level.Correct} ({Percent(r.Level.CorrectShare)})", SortableTable.Sort(r.Level.CorrectShare), Numeric: true),
        new Cell(Share(r.Fast1NoiseAware), SortableTable.Sort(r.Fast1NoiseAware), Numeric: true),
        new Cell(Share(r.Fast1), SortableTable.Sort(r.Fast1), Numeric: true),
        new Cell(Speedup(r.Level.GeomeanSpeedup), SortableTable.Sort(r.Level.GeomeanSpeedup), Numeric: true),
        new Cell(Speedup(r.Level.MedianSpeedup), SortableTable.Sort(r.Level.MedianSpeedup), Numeric: true),
        new Cell(r.Info.RunId, Wrap: true, Href: link),
        r.Note,
    ];

    /// <summary>The group's comparability key in words.</summary>
    public static string Describe(RunInfo i) =>
        $"Problem set {Or(i.ProblemSetHash)}; precision {Or(i.Precision)}; atol {Sci(i.Atol)}, rtol {Sci(i.Rtol)}; timing {Or(i.TimingMethod)}" +
        (i.TimingMethod.Contains(i.TimingOrder, StringComparison.Ordinal) ? "" : $" ({Or(i.TimingOrder)})") + $"; reference times: {Or(i.BaselineSource)}; GPU {Or(i.Gpu)}; trials {i.CorrectnessTrials?.ToString() ?? "?"} correctness, " +
        $"{i.PerfTrials?.ToString() ?? "?"} timing; scored: {Or(i.SamplePolicy)}.";

    private static string Or(string text) => text.Length == 0 ? "unknown" : text;

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
