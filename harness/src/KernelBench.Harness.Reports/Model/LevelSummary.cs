namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// fast_p at one threshold, counted KernelBench's way (point speedup &gt; p) and noise-aware (speedup's 95% lower bound &gt; p).
/// A share is null ("not timed") when the level has correct problems but none of them has a speedup (no baseline):
/// 0% would claim they were timed and found slow.
/// </summary>
public sealed record FastP(double P, int Count, double? Share, int NoiseAwareCount, double? NoiseAwareShare);

/// <summary>One level's (or, with Level null, the whole run's) accuracy and speed.</summary>
public sealed record LevelSummary
{
    /// <summary>Null for the row over all levels.</summary>
    public int? Level { get; init; }
    public int Problems { get; init; }
    public int Attempted { get; init; }
    public int Correct { get; init; }
    public double CorrectShare { get; init; }

    /// <summary>Problems whose scored attempt got past the build (any status but compile_error and earlier failures).</summary>
    public int Compiled { get; init; }
    public double CompiledShare { get; init; }

    /// <summary>Correct problems without a point speedup: they count as not faster (KernelBench's rule for runtime -1).</summary>
    public int UntimedCorrect { get; init; }
    public IReadOnlyList<FastP> FastP { get; init; } = [];
    public int SpeedupCount { get; init; }
    public double? GeomeanSpeedup { get; init; }
    public double? MedianSpeedup { get; init; }

    public string LevelText => Level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all";

    public FastP? At(double p) => FastP.FirstOrDefault(f => f.P == p);
}
