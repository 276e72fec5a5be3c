using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Exporters;

/// <summary>
/// Runs exporters one after another; one that throws is recorded and the others still run, so a plot or HTML failure
/// never costs the CSV or Markdown.
/// </summary>
public sealed class CompositeExporter(IReadOnlyList<IReportExporter> exporters)
{
    public IReadOnlyList<ExportResult> Export(ReportModel model, string reportFolder)
    {
        Directory.CreateDirectory(reportFolder);
        var results = new List<ExportResult>();
        foreach (var exporter in exporters)
        {
            try
            {
                results.Add(new ExportResult(exporter.Name, exporter.Export(model, reportFolder), null));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results.Add(new ExportResult(exporter.Name, [], $"{e.GetType().Name}: {e.Message}"));
            }
        }
        return results;
    }
}
