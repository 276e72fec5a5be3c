using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>
/// One run on one level. Rank counts only within (level, comparison group): runs in different groups (another problem set,
/// tolerance or GPU) are never ranked together, and Note says why.
/// </summary>
public sealed record LeaderboardRow(RunInfo Info, bool Partial, LevelSummary Level, int Group, int Rank, string Note)
{
    /// <summary>Null when not timed (no correct problem has a speedup).</summary>
    public double? Fast1 => Level.At(1.0)?.Share;
    public double? Fast1NoiseAware => Level.At(1.0)?.NoiseAwareShare;
}
