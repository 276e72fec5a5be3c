using System.Globalization;
using System.Text;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>
/// `kbh leaderboard --html DIR`: a folder a lab can publish as it is. DIR/index.html (<see cref="LeaderboardHtml"/>) and
/// each run's full report in DIR/runs/NN-RUNID/ (report.html, its problem pages, plots, CSVs), linked from the run's rows
/// by relative paths, so the folder works from file:// and from any web server.
/// </summary>
public static class LeaderboardSite
{
    public const string IndexFile = "index.html";
    public const string RunsFolder = "runs";

    /// <summary>Writes the site and returns index.html's path; each run's report outcome (with any failed exporter) comes back too.</summary>
    public static (string Index, IReadOnlyList<ReportOutcome> Reports) Write(string dir, IReadOnlyList<ReportModel> models, IReadOnlyList<LeaderboardRow> rows)
    {
        Directory.CreateDirectory(dir);
        var links = new Dictionary<RunInfo, string>(ReferenceEqualityComparer.Instance);
        var outcomes = new List<ReportOutcome>();
        for (var i = 0; i < models.Count; i++)
        {
            // Numbered, so two runs with the same id never share a folder; the id is reduced to safe characters.
            var name = $"{(i + 1).ToString("00", CultureInfo.InvariantCulture)}-{Safe(models[i].Info.RunId)}";
            outcomes.Add(ReportGenerator.Write(models[i], Path.Combine(dir, RunsFolder, name)));
            links[models[i].Info] = $"{RunsFolder}/{name}/{Html.HtmlExporter.FileName}";
        }
        var index = Path.Combine(dir, IndexFile);
        File.WriteAllText(index, LeaderboardHtml.Render(rows, r => links.GetValueOrDefault(r.Info)));
        return (index, outcomes);
    }

    public static string Safe(string runId)
    {
        var sb = new StringBuilder();
        foreach (var c in runId)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        var text = sb.ToString().Trim('.');
        return text.Length == 0 ? "run" : text[..Math.Min(60, text.Length)];
    }
}
