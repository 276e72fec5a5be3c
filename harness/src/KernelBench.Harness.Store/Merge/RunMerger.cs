using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store.Merge;

/// <summary>
/// `kbh merge`: joins shard folders into one run folder that reads like the same work done on one machine: one manifest
/// for the whole problem set, the resolved config (so the merged run can be resumed or reported), and every attempt once,
/// sorted by problem, chain and index. Nothing is written unless every check passes.
/// </summary>
public static class RunMerger
{
    /// <summary>The resolved config a `kbh run` folder keeps beside its manifest (RunSession.ConfigFile).</summary>
    public const string ConfigFile = "config.json";

    public static MergeReport Merge(IReadOnlyList<string> folders, string outFolder, bool allowPartial = false)
    {
        if (folders.Count == 0)
            throw new MergeException(["no run folders given"]);
        var outFull = Path.GetFullPath(outFolder).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(Path.Combine(outFull, RunStore.ManifestFile)))
            throw new MergeException([$"{outFolder}: a run already exists here; choose another --out."]);
        var stores = folders.Select(f => Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar)).Distinct()
            .Select(RunStore.Open).OrderBy(s => s.Manifest.Shard?.Index ?? 0).ToList();

        var (checks, warnings) = ShardAgreement.Check(stores, allowPartial);
        var refusals = checks.ToList();
        var join = refusals.Count == 0 ? AttemptJoin.Join(stores) : null;
        if (join is not null)
            refusals.AddRange(join.Conflicts.Select(c => "conflicting copies of " + c));
        if (join is not null && GpuAgreement.Check(stores) is { } mixed)
            refusals.Add(mixed);
        if (refusals.Count > 0)
            throw new MergeException(refusals);

        var all = warnings.Concat(join!.Torn.Select(t => t + " (skipped)")).ToList();
        var shard = stores[0].Manifest.Shard!;
        var complete = stores.Select(s => s.Manifest.Shard!.Index).Distinct().Count() == shard.Count && stores.All(s => s.IsFinished);
        var keys = stores.SelectMany(s => s.Manifest.ProblemKeys).Distinct().ToList();
        if (complete && keys.Count != shard.RunProblemCount)
            throw new MergeException([$"the shards hold {keys.Count} problem(s) together, but the run has {shard.RunProblemCount}."]);

        var manifest = stores[0].Manifest with
        {
            RunId = $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Path.GetFileName(outFull)}",
            CreatedAt = DateTimeOffset.UtcNow,
            ProblemKeys = Problems.Sharding.ShardSelector.Select(keys, new Problems.Sharding.Shard(1, 1)),
            ProblemSetHash = complete ? shard.RunProblemSetHash : "",
            Shard = null,
            MergedFrom = stores.Select(s => s.Manifest.RunId).ToList(),
        };
        var store = RunStore.Create(outFull, manifest);
        WriteConfig(stores[0], outFull);
        var lines = new StringBuilder();
        foreach (var attempt in join.Attempts)
            lines.Append(JsonSerializer.Serialize(attempt, HarnessJson.Options)).Append('\n');
        AtomicFile.WriteAllText(store.AttemptsPath, lines.ToString());
        if (complete)
            store.MarkFinished(new AttemptLog(join.Attempts, []));
        return new MergeReport(outFull, stores.Count, join.Attempts.Count, join.Collapsed, complete, all);
    }

    private static void WriteConfig(RunStore first, string outFull)
    {
        if (ShardAgreement.ReadConfig(first) is not { } config)
            return;
        config["out"] = outFull; // the merged folder is a whole run: resuming it continues every problem, into itself
        File.WriteAllText(Path.Combine(outFull, ConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
