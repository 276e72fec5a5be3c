namespace KernelBench.Harness.Reports.Model;

/// <summary>What a report computes: the fast_p thresholds and the budget curve's minute step.</summary>
public sealed record ReportOptions
{
    public IReadOnlyList<double> PValues { get; init; } = [0, 1.0, 1.5, 2.0];

    /// <summary>Minutes between two points of the anytime curve.</summary>
    public double MinuteStep { get; init; } = 1;

    /// <summary>
    /// torch.compile reference times by problem (a KernelBench baseline_time_torch_compile_*.json measured on the run's
    /// GPU), for the compile columns of problems.csv; null: those columns stay empty.
    /// </summary>
    public IReadOnlyDictionary<ProblemKey, Scoring.Timing.TimingSummary>? CompileBaseline { get; init; }
}
