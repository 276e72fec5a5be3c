using System.Text.Json;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store.Merge;

/// <summary>
/// Joins the attempts of several folders so each (problem, chain, index) is there once: copies that are identical to the
/// byte (the same folder given twice, a copied shard) collapse into one; copies that differ are conflicts, never a silent pick.
/// </summary>
public static class AttemptJoin
{
    public sealed record Result(IReadOnlyList<AttemptRecord> Attempts, int Collapsed, IReadOnlyList<string> Conflicts, IReadOnlyList<string> Torn);

    public static Result Join(IReadOnlyList<RunStore> stores)
    {
        var kept = new Dictionary<(string, int, int), (AttemptRecord Attempt, string Json, string Folder)>();
        var conflicts = new List<string>();
        var torn = new List<string>();
        var collapsed = 0;
        foreach (var store in stores)
        {
            var log = store.ReadAttempts();
            torn.AddRange(log.Problems);
            foreach (var attempt in log.Attempts)
            {
                var key = (attempt.ProblemKey, attempt.Chain, attempt.Index);
                var json = JsonSerializer.Serialize(attempt, HarnessJson.Options);
                if (!kept.TryGetValue(key, out var earlier))
                    kept[key] = (attempt, json, store.Folder);
                else if (earlier.Json == json)
                    collapsed++;
                else
                    conflicts.Add($"{attempt.ProblemKey} chain {attempt.Chain} attempt {attempt.Index + 1}: {earlier.Folder} has {Describe(earlier.Attempt)}, "
                                  + $"{store.Folder} has {Describe(attempt)}");
            }
        }
        var ordered = kept.Values.Select(v => v.Attempt).OrderBy(a => a.Level).ThenBy(a => a.ProblemId)
            .ThenBy(a => a.ProblemKey, StringComparer.Ordinal).ThenBy(a => a.Chain).ThenBy(a => a.Index).ToList();
        return new Result(ordered, collapsed, conflicts, torn);
    }

    private static string Describe(AttemptRecord a) =>
        $"{a.Status}, code {(a.CodeSha256 is { Length: > 12 } sha ? sha[..12] : a.CodeSha256 ?? "none")}, started {a.StartedAt:u}";
}
