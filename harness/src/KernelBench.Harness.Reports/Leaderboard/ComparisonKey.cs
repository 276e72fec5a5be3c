using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>What must match for two runs to be ranked together: the problem-set version, the tolerance and the GPU.</summary>
public sealed record ComparisonKey(string ProblemSetHash, double? Atol, double? Rtol, string Gpu)
{
    public static ComparisonKey Of(RunInfo i) => new(i.ProblemSetHash, i.Atol, i.Rtol, i.Gpu);

    /// <summary>The ways this key differs from another, for the note a reader sees.</summary>
    public IEnumerable<string> DifferencesFrom(ComparisonKey other)
    {
        if (ProblemSetHash != other.ProblemSetHash)
            yield return $"problem set {Short(ProblemSetHash)} vs {Short(other.ProblemSetHash)}";
        if (Atol != other.Atol || Rtol != other.Rtol)
            yield return $"tolerance atol {Format.Sci(Atol)}/rtol {Format.Sci(Rtol)} vs atol {Format.Sci(other.Atol)}/rtol {Format.Sci(other.Rtol)}";
        if (Gpu != other.Gpu)
            yield return $"GPU {Or(Gpu)} vs {Or(other.Gpu)}";
    }

    private static string Short(string hash) => hash.Length == 0 ? "(unknown)" : hash[..Math.Min(12, hash.Length)];

    private static string Or(string text) => text.Length == 0 ? "(unknown)" : text;
}
