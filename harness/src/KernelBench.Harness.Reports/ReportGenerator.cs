using KernelBench.Harness.Reports.Csv;
using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Html;
using KernelBench.Harness.Reports.Markdown;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports;

/// <summary>What `kbh report` produced: the computed model, where it went, and each exporter's result.</summary>
public sealed record ReportOutcome(ReportModel Model, string ReportFolder, IReadOnlyList<ExportResult> Exports)
{
    public IEnumerable<ExportResult> Failures => Exports.Where(e => !e.Succeeded);
}

/// <summary>Reads a run folder (or a KernelBench eval_results.json), computes the report and runs every exporter.</summary>
public static class ReportGenerator
{
    public const string ReportFolderName = "report";
    public const string ErrorsFile = "export-errors.txt";

    /// <summary>The exporters in the order they run: the CSVs and Markdown first, the HTML with its plots last.</summary>
    public static IReadOnlyList<IReportExporter> DefaultExporters() =>
        [new ProblemsCsvExporter(), new SummaryCsvExporter(), new BudgetCsvExporter(), new MarkdownExporter(), new HtmlExporter()];

    public static ReportOutcome Generate(string path, ReportOptions? options = null, IReadOnlyList<IReportExporter>? exporters = null,
        KernelBenchImport.ImportOptions? import = null)
    {
        var run = RunSources.Read(path, import);
        return Write(ReportModel.Compute(run, options), Path.Combine(run.Folder, ReportFolderName), exporters);
    }

    /// <summary>Runs every exporter on a computed model into folder (a leaderboard site writes each run's report into its own folder).</summary>
    public static ReportOutcome Write(ReportModel model, string folder, IReadOnlyList<IReportExporter>? exporters = null)
    {
        var results = new CompositeExporter(exporters ?? DefaultExporters()).Export(model, folder);
        var errorsPath = Path.Combine(folder, ErrorsFile);
        var failures = results.Where(r => !r.Succeeded).Select(r => $"{r.Exporter}: {r.Error}").ToList();
        if (failures.Count > 0)
            File.WriteAllLines(errorsPath, failures);
        else if (File.Exists(errorsPath))
            File.Delete(errorsPath);
        return new ReportOutcome(model, folder, results);
    }
}
