using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Exporters;

namespace KernelBench.Harness.Cli.Commands.Report;

/// <summary>The exporters `kbh report` runs, in order; the CSVs and Markdown come first.</summary>
public static class ReportExporters
{
    public static IReadOnlyList<IReportExporter> All() => [.. ReportGenerator.DefaultExporters()];
}
