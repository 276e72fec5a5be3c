namespace KernelBench.Harness.Scoring.Timing;

/// <summary>Statistics over raw per-trial times in milliseconds, computed on the C# side so every number is computed one way.</summary>
public sealed record TimingSummary
{
    public double MeanMs { get; init; }
    public double MedianMs { get; init; }
    public double StdMs { get; init; }
    public double MinMs { get; init; }
    public double MaxMs { get; init; }

    /// <summary>95% confidence interval of the mean.</summary>
    public double CiLowerMs { get; init; }
    public double CiUpperMs { get; init; }
    public int Trials { get; init; }
}
