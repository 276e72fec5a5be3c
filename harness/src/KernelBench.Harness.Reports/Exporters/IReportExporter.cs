using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Exporters;

/// <summary>One output format. An exporter only formats the model; it writes into the report folder and names its files.</summary>
public interface IReportExporter
{
    string Name { get; }

    IReadOnlyList<string> Export(ReportModel model, string reportFolder);
}
