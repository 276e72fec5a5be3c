using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Csv.CsvCells;

namespace KernelBench.Harness.Reports.Csv;

/// <summary>
/// budget.csv, the anytime curve, columns in this order: level (a number or "all"), unit ("minutes" of charged time, or
/// "attempts"), step, problems, correct (count), correct_share, fast_1_count (correct and point speedup &gt; 1 within the step),
/// fast_1 (the same as a share of the level's problems: as in summary.csv, fast_1 is always a share).
/// </summary>
public sealed class BudgetCsvExporter : IReportExporter
{
    public const string FileName = "budget.csv";

    public static readonly IReadOnlyList<string> Header =
        ["level", "unit", "step", "problems", "correct", "correct_share", "fast_1_count", "fast_1"];

    public string Name => "budget.csv";

    public IReadOnlyList<string> Export(ReportModel model, string reportFolder)
    {
        var path = Path.Combine(reportFolder, FileName);
        WriteFile(path, Header, model.Budget.Select(b => new[]
        {
            b.LevelText, b.Unit, Number(b.Step), Int(b.Problems), Int(b.Correct), Number(b.CorrectShare), Int(b.Fast1),
            Number(b.Fast1Share),
        }));
        return [path];
    }
}
