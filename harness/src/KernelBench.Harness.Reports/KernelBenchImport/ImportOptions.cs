namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>
/// What eval_results.json does not say: its level (otherwise read from the level_N_problem_* kernel files beside it)
/// and a KernelBench baseline timing file (results/timing/&lt;gpu&gt;/baseline_time_torch.json) for the speedups.
/// </summary>
public sealed record ImportOptions(int? Level = null, string? BaselinePath = null);
