using System.Globalization;

namespace KernelBench.Harness.Problems.Sharding;

/// <summary>
/// Splits problems over shards: deterministic (depends only on the set of keys, never on their order or the machine)
/// and balanced by level. Keys are sorted by level, then id, and dealt round-robin with one running counter, so every
/// level's problems differ by at most one between shards and so do the totals.
/// </summary>
public static class ShardSelector
{
    /// <summary>The keys ("L1/19") that belong to <paramref name="shard"/>, in level-then-id order.</summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> problemKeys, Shard shard) =>
        Order(problemKeys).Where((_, position) => position % shard.Count == shard.Index - 1).ToList();

    /// <summary>The problems that belong to <paramref name="shard"/>, by the same rule as the keys.</summary>
    public static IReadOnlyList<Problem> Select(IEnumerable<Problem> problems, Shard shard)
    {
        var byKey = problems.ToDictionary(p => p.Key);
        return Select(byKey.Keys, shard).Select(k => byKey[k]).ToList();
    }

    private static IEnumerable<string> Order(IEnumerable<string> keys) =>
        keys.Distinct(StringComparer.Ordinal).Select(k => (Key: k, Sort: SortKey(k))).OrderBy(k => k.Sort.Level)
            .ThenBy(k => k.Sort.Id).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key);

    // "L<level>/<id>" sorts numerically; any other key (a future problem source) after them, by name.
    private static (int Level, int Id) SortKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return key.StartsWith('L') && slash > 1
               && int.TryParse(key.AsSpan(1, slash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var level)
               && int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (level, id)
            : (int.MaxValue, int.MaxValue);
    }
}
