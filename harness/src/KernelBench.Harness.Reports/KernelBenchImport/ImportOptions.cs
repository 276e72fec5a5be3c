namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>
/// What eval_results.json does not say: its level (otherwise read from the level_N_problem_* kernel files beside it),
/// a KernelBench baseline timing file (results/timing/&lt;gpu&gt;/baseline_time_torch.json) for the speedups and the
/// level's problem list, the tolerance and precision it was judged with (else read from its results, else unknown), and
/// which sample of a problem is scored (<see cref="SampleZero"/>, KernelBench's rule, or <see cref="BestOfN"/>).
/// </summary>
public sealed record ImportOptions(int? Level = null, string? BaselinePath = null)
{
    public const string SampleZero = "0";
    public const string BestOfN = "best";

    public string Samples { get; init; } = SampleZero;
    public double? Atol { get; init; }
    public double? Rtol { get; init; }
    public string? Precision { get; init; }
}
