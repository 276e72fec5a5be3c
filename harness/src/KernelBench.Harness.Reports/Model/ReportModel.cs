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
    /// <summary>The same summary over real kernels only (see <see cref="RealKernels"/>): the second track.</summary>
    public IReadOnlyList<LevelSummary> KernelLevels { get; init; } = [];

    /// <summary>The run's warnings and those the numbers raise (correct problems that were never timed).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static ReportModel Compute(RunData run, ReportOptions? options = null)
    {
        options ??= new ReportOptions();
        var rows = ProblemRowBuilder.Build(run, options);
        var levels = SummaryBuilder.Build(rows, options);
        var untimed = levels[^1].UntimedCorrect;
        var warnings = run.Warnings.ToList();
        // Some timed, some not: those count as not faster (as KernelBench counts runtime -1); say how many.
        if (untimed > 0 && untimed < levels[^1].Correct)
            warnings.Add($"{untimed} of {levels[^1].Correct} correct problems have no speedup; fast_p counts them as not faster.");
        return new ReportModel(run, RunInfo.From(run), options, rows, levels, BudgetCurveBuilder.Build(rows, run, options))
        {
            KernelLevels = SummaryBuilder.Build(ProblemRowBuilder.Build(RealKernels.Only(run), options), options),
            Warnings = warnings,
        };
    }

    public LevelSummary Overall => Levels[^1];
}
