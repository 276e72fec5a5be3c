using System.Text;
using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Markdown;

/// <summary>report.md: the run's settings, the per-level summary, the anytime curve and the per-problem table.</summary>
public sealed class MarkdownExporter : IReportExporter
{
    public const string FileName = "report.md";

    public string Name => "report.md";

    public IReadOnlyList<string> Export(ReportModel model, string reportFolder)
    {
        var path = Path.Combine(reportFolder, FileName);
        File.WriteAllText(path, Render(model));
        return [path];
    }

    public static string Render(ReportModel model)
    {
        var sb = new StringBuilder();
        var i = model.Info;
        sb.Append($"# KernelBench report: {i.RunId}\n\n");
        if (model.Run.IsPartial)
        {
            sb.Append("> **Partial report**: the run folder is incomplete; these numbers cover only what could be read.\n>\n");
            foreach (var problem in model.Run.Problems)
                sb.Append($"> - {problem}\n");
            sb.Append('\n');
        }
        foreach (var warning in model.Warnings)
            sb.Append($"> **Warning**: {warning}\n");
        foreach (var note in model.Run.Notes)
            sb.Append($"> Note: {note}\n");
        if (model.Run.Notes.Count + model.Warnings.Count > 0)
            sb.Append('\n');
        MarkdownTable.Write(sb, ["Setting", "Value"], RunSettings(i).Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value]));

        sb.Append("## Summary\n\n");
        foreach (var (title, levels) in SummaryView.Tracks(model))
        {
            sb.Append($"### {title}\n\n");
            MarkdownTable.Write(sb, SummaryView.Header(model), SummaryView.Rows(levels));
        }
        sb.Append(Definitions);
        sb.Append("### Flags\n\n");
        foreach (var (flag, meaning) in SummaryView.Legend(model))
            sb.Append($"- `{flag}`: {meaning}\n");
        sb.Append('\n');

        sb.Append("## Accuracy against budget\n\n");
        foreach (var (title, rows) in BudgetView.Tables(model))
        {
            sb.Append($"### {title}\n\n");
            MarkdownTable.Write(sb, BudgetView.Header, rows);
        }
        sb.Append("Every step of the curve, in minutes and in attempts, is in budget.csv.\n\n");

        sb.Append("## Problems\n\n");
        MarkdownTable.Write(sb, ["Problem", "Name", "Best status", "Attempts", "Time to correct", "Runtime ms", "Reference ms", "Speedup", "Lower 95%", "Flags"],
            model.Problems.Select(r => (IReadOnlyList<string>)
            [
                r.Key.ToString(), r.Name, r.BestStatus, r.Attempts.ToString(), Duration(r.SecondsToFirstCorrect),
                Ms(r.BestRuntimeMs), Ms(r.RefRuntimeMs), Speedup(r.Speedup), Speedup(r.SpeedupLower), string.Join(", ", r.Flags),
            ]));
        return sb.ToString();
    }

    public static IEnumerable<BudgetPoint> Thin(IEnumerable<BudgetPoint> points) => BudgetView.Thin(points);

    public const int MaxStepsPerLevel = BudgetView.MaxStepsPerLevel;

    public static IEnumerable<KeyValuePair<string, string>> RunSettings(RunInfo i) => SummaryView.Settings(i);

    public const string Definitions =
        "fast_p is the share of all the level's problems that are correct and more than p times faster than the reference. " +
        "*Point* is KernelBench's definition (reference mean / candidate mean > p); *noise-aware* asks the lower end of the " +
        "speedup's 95% interval (reference CI lower / candidate CI upper) to be above p. Speedups average over correct problems. " +
        "\"not timed\": correct answers exist but none has a speedup (no reference time), so fast_p is unknown, not 0. " +
        "Compiled: the scored attempt got past the build (KernelBench's compile rate). " +
        "The budget of an attempt is the charged time (waits excluded) of its problem's attempts up to and including it, in start order.\n\n";
}
