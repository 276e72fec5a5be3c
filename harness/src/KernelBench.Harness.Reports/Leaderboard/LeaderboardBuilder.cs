using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>
/// Ranks runs per level. Complete runs first, partial ones after them (they cover less than they claim); then by
/// noise-aware fast_1 (a speedup whose 95% lower bound is above 1, so noise cannot decide), ties by point fast_1, then
/// geometric-mean speedup, all descending ("not timed" and missing below any number), then run id.
/// Runs are first split into comparison groups (<see cref="ComparisonKey"/>), numbered per level from the largest group
/// (ties: the one holding the better run); only runs in the same group get ranks against each other.
/// </summary>
public static class LeaderboardBuilder
{
    public static readonly ReportOptions Options = new() { PValues = [0, 1.0, 1.5, 2.0] };

    public static IReadOnlyList<LeaderboardRow> Build(IReadOnlyList<ReportModel> runs)
    {
        var entries = runs.SelectMany(m => m.Levels.Where(l => l.Level is not null).Select(l => (Model: m, Level: l))).ToList();
        var rows = new List<LeaderboardRow>();
        foreach (var level in entries.GroupBy(e => e.Level.Level!.Value).OrderBy(g => g.Key))
        {
            var sorted = level.OrderBy(e => e.Model.Run.IsPartial)
                .ThenByDescending(e => e.Level.At(1.0)?.NoiseAwareShare ?? -1)
                .ThenByDescending(e => e.Level.At(1.0)?.Share ?? -1)
                .ThenByDescending(e => e.Level.GeomeanSpeedup ?? 0)
                .ThenBy(e => e.Model.Info.RunId, StringComparer.Ordinal).ToList();
            var groups = sorted.Select(e => ComparisonKey.Of(e.Model.Info)).Distinct()
                .OrderByDescending(k => sorted.Count(e => ComparisonKey.Of(e.Model.Info) == k)).ToList();
            foreach (var (key, groupIndex) in groups.Select((k, i) => (k, i)))
            {
                var members = sorted.Where(e => ComparisonKey.Of(e.Model.Info) == key).ToList();
                var note = Note(key, groupIndex, groups);
                rows.AddRange(members.Select((e, i) => new LeaderboardRow(e.Model.Info, e.Model.Run.IsPartial, e.Level, groupIndex + 1, i + 1,
                    Join(e.Model.Run.IsPartial ? "partial run, ranked after the complete ones" : "", Join(Tie(members, i), note)))));
            }
        }
        return rows;
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}; {b}";

    // A rank that only point fast_1 or the geomean decided may be noise: say so beside it.
    private static string Tie(List<(ReportModel Model, LevelSummary Level)> members, int i)
    {
        if (i == 0 || members[i - 1].Model.Run.IsPartial != members[i].Model.Run.IsPartial)
            return "";
        var (above, here) = (members[i - 1].Level.At(1.0)?.NoiseAwareShare, members[i].Level.At(1.0)?.NoiseAwareShare);
        return above == here ? $"tied with rank {i} on noise-aware fast_1; point fast_1 or the geomean decided, which noise can" : "";
    }

    private static string Note(ComparisonKey key, int index, List<ComparisonKey> groups)
    {
        if (groups.Count == 1)
            return "";
        if (index == 0)
            return groups.Count == 2 ? "not comparable with group 2 of this level; ranked separately"
                : $"not comparable with groups 2-{groups.Count} of this level; ranked separately";
        return $"not comparable with group 1 ({string.Join("; ", key.DifferencesFrom(groups[0]))}); ranked separately";
    }
}
