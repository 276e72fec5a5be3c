using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>
/// What must match for two runs to be ranked together on a level (the level itself is matched by the builder): the problem
/// set, precision and tolerance, timing method and order, where the reference times came from, the GPU, the trial counts
/// and which attempt of a problem is scored. Any difference changes what a number means, so such runs are never ranked
/// against each other.
/// </summary>
public sealed record ComparisonKey(
    string ProblemSetHash, double? Atol, double? Rtol, string Gpu,
    string Precision = "", string TimingMethod = "", string TimingOrder = "", string BaselineSource = "",
    int? CorrectnessTrials = null, int? PerfTrials = null, string SamplePolicy = "", string Policy = "")
{
    public static ComparisonKey Of(RunInfo i) => new(i.ProblemSetHash, i.Atol, i.Rtol, i.Gpu, i.Precision, i.TimingMethod, i.TimingOrder,
        i.BaselineSource, i.CorrectnessTrials, i.PerfTrials, i.SamplePolicy, i.Policy);

    /// <summary>The ways this key differs from another, for the note a reader sees.</summary>
    public IEnumerable<string> DifferencesFrom(ComparisonKey other)
    {
        if (ProblemSetHash != other.ProblemSetHash)
            yield return $"problem set {Short(ProblemSetHash)} vs {Short(other.ProblemSetHash)}";
        if (Precision != other.Precision)
            yield return $"precision {Or(Precision)} vs {Or(other.Precision)}";
        if (Atol != other.Atol || Rtol != other.Rtol)
            yield return $"tolerance atol {Format.Sci(Atol)}/rtol {Format.Sci(Rtol)} vs atol {Format.Sci(other.Atol)}/rtol {Format.Sci(other.Rtol)}";
        if (TimingMethod != other.TimingMethod)
            yield return $"timing method {Or(TimingMethod)} vs {Or(other.TimingMethod)}";
        if (TimingOrder != other.TimingOrder)
            yield return $"timing order {Or(TimingOrder)} vs {Or(other.TimingOrder)}";
        if (BaselineSource != other.BaselineSource)
            yield return $"reference times {Or(BaselineSource)} vs {Or(other.BaselineSource)}";
        if (Gpu != other.Gpu)
            yield return $"GPU {Or(Gpu)} vs {Or(other.Gpu)}";
        if (CorrectnessTrials != other.CorrectnessTrials || PerfTrials != other.PerfTrials)
            yield return $"trials {Trials(this)} vs {Trials(other)}";
        if (Policy != other.Policy)
            yield return $"policy {Or(Policy)} vs {Or(other.Policy)}";
        if (SamplePolicy != other.SamplePolicy)
            yield return $"scored {Or(SamplePolicy)} vs {Or(other.SamplePolicy)}";
    }

    private static string Trials(ComparisonKey k) =>
        $"{k.CorrectnessTrials?.ToString() ?? "?"} correctness/{k.PerfTrials?.ToString() ?? "?"} timing";

    private static string Short(string hash) => hash.Length == 0 ? "(unknown)" : hash[..Math.Min(12, hash.Length)];

    private static string Or(string text) => text.Length == 0 ? "(unknown)" : text;
}
