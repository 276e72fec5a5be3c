using System.Text.Json.Nodes;

namespace KernelBench.Harness.Store.Merge;

/// <summary>
/// The checks before any attempt is joined: every folder is a shard of the same run (same kind, same resolved config,
/// same whole problem set, same shard count) and, unless a partial merge is asked for, every shard is there and finished.
/// Returns every reason found, not only the first, so one look at the message fixes them all.
/// </summary>
public static class ShardAgreement
{
    // Paths that may differ between machines or shards without changing the work; the problem files are covered by the hash.
    private static readonly string[] MachineLocalKeys = ["out", "source_path", "kernel_bench"];

    public static (IReadOnlyList<string> Refusals, IReadOnlyList<string> Warnings) Check(IReadOnlyList<RunStore> shards, bool allowPartial)
    {
        var refusals = new List<string>();
        var warnings = new List<string>();
        var first = shards[0];
        foreach (var s in shards.Where(s => s.Manifest.Shard is null))
            refusals.Add($"{s.Folder}: not a shard folder (its {RunStore.ManifestFile} names no shard); merge joins the folders of `--shard I/N` runs.");
        if (refusals.Count > 0)
            return (refusals, warnings);

        var reference = first.Manifest.Shard!;
        foreach (var s in shards.Skip(1))
        {
            var m = s.Manifest;
            if (m.Kind != first.Manifest.Kind)
                refusals.Add($"{s.Folder}: a '{m.Kind}' run, but {first.Folder} is a '{first.Manifest.Kind}' run.");
            if (m.Shard!.Count != reference.Count)
                refusals.Add($"{s.Folder}: shard {m.Shard.Index} of {m.Shard.Count}, but {first.Folder} is one of {reference.Count}.");
            if (m.Shard.RunProblemSetHash != reference.RunProblemSetHash)
                refusals.Add($"{s.Folder}: its run's problem set (hash {Short(m.Shard.RunProblemSetHash)}) differs from {first.Folder}'s ({Short(reference.RunProblemSetHash)}): different problems or problem files changed.");
            if (Settings(s) != Settings(first))
                refusals.Add($"{s.Folder}: run with different settings than {first.Folder} ({Differences(s, first)}).");
        }

        var present = shards.Select(s => s.Manifest.Shard!.Index).ToHashSet();
        var missing = Enumerable.Range(1, reference.Count).Where(i => !present.Contains(i)).ToList();
        var unfinished = shards.Where(s => !s.IsFinished).Select(s => $"{s.Folder} (shard {s.Manifest.Shard!.Index}/{s.Manifest.Shard.Count}) has not finished").ToList();
        var gaps = new List<string>(unfinished);
        if (missing.Count > 0)
            gaps.Insert(0, $"shard(s) {string.Join(", ", missing)} of {reference.Count} missing");
        if (allowPartial)
            warnings.AddRange(gaps.Select(g => g + " (partial merge)"));
        else
            refusals.AddRange(gaps.Select(g => g + "; resume or resubmit it, or merge with --partial"));
        return (refusals, warnings);
    }

    /// <summary>The settings that must agree: the resolved config without machine-local paths, else the manifest's run fields.</summary>
    internal static string Settings(RunStore store)
    {
        var config = ReadConfig(store);
        if (config is null)
        {
            var m = store.Manifest;
            return $"model={m.Model}; strategy={m.Strategy}; budget={m.Budget}; device={m.Device}; eval={System.Text.Json.JsonSerializer.Serialize(m.EvalSettings, KernelBench.Harness.Scoring.Verdicts.HarnessJson.Options)}";
        }
        foreach (var key in MachineLocalKeys)
            config.Remove(key);
        return config.ToJsonString();
    }

    internal static JsonObject? ReadConfig(RunStore store)
    {
        var path = Path.Combine(store.Folder, RunMerger.ConfigFile);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
    }

    private static string Differences(RunStore a, RunStore b)
    {
        var x = JsonNode.Parse(Settings(a)) as JsonObject;
        var y = JsonNode.Parse(Settings(b)) as JsonObject;
        if (x is null || y is null)
            return "manifests differ";
        var keys = x.Select(p => p.Key).Union(y.Select(p => p.Key))
            .Where(k => !JsonNode.DeepEquals(x[k], y[k])).ToList();
        return string.Join("; ", keys.Select(k => $"{k}: {x[k]?.ToJsonString() ?? "unset"} vs {y[k]?.ToJsonString() ?? "unset"}"));
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
