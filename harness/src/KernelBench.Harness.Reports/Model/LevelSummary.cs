namespace KernelBench.Harness.Reports.Model;

/// <summary>fast_p at one threshold, counted KernelBench's way (point speedup &gt; p) and noise-aware (speedup's 95% lower bound &gt; p).</summary>
public sealed record FastP(double P, int Count, double Share, int NoiseAwareCount, double NoiseAwareShare);

/// <summary>One level's (or, with Level null, the whole run's) accuracy and speed.</summary>
public sealed record LevelSummary
{
    /// <summary>Null for the row over all levels.</summary>
    public int? Level { get; init; }
    public int Problems { get; init; }
    public int Attempted { get; init; }
    public int Correct { get; init; }
    public double CorrectShare { get; init; }
    public IReadOnlyList<FastP> FastP { get; init; } = [];
    public int SpeedupCount { get; init; }
    public double? GeomeanSpeedup { get; init; }
    public double? MedianSpeedup { get; init; }

    public string LevelText => Level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all";

    public FastP? At(double p) => FastP.FirstOrDefault(f => f.P == p);
}
