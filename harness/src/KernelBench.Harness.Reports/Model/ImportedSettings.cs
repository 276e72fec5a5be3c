namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// The settings of a run that has no run.json (a KernelBench import), as far as its files or the command line say them.
/// Nothing is invented: null or "" is shown as unknown.
/// </summary>
public sealed record ImportedSettings
{
    public double? Atol { get; init; }
    public double? Rtol { get; init; }
    public string Precision { get; init; } = "";
    public string TimingMethod { get; init; } = "";
    public string TimingOrder { get; init; } = "";

    /// <summary>Where the reference times came from: the baseline file (folder/name), its GPU and torch version.</summary>
    public string BaselineSource { get; init; } = "";

    /// <summary>Which sample of each problem is scored: "sample 0" (KernelBench) or "best of N".</summary>
    public string SamplePolicy { get; init; } = "";
    public int? CorrectnessTrials { get; init; }
    public int? PerfTrials { get; init; }
}
