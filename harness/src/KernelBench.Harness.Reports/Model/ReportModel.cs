namespace KernelBench.Harness.Reports.Model;

/// <summary>Everything a report shows, computed once from a run; every exporter only formats it.</summary>
public sealed record ReportModel(
    RunData Run,
    RunInfo Info,
    ReportOptions Options,
    IReadOnlyList<ProblemRow> Problems,
    IReadOnlyList<LevelSummary> Levels,
    IReadOnlyList<BudgetPoint> Budget)
{
    public static ReportModel Compute(RunData run, ReportOptions? options = null)
    {
        options ??= new ReportOptions();
        var rows = ProblemRowBuilder.Build(run, options);
        return new ReportModel(run, RunInfo.From(run), options, rows, SummaryBuilder.Build(rows, options),
            BudgetCurveBuilder.Build(rows, run, options));
    }

    public LevelSummary Overall => Levels[^1];
}
