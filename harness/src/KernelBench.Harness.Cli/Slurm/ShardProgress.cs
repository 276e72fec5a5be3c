using KernelBench.Harness.Store;

namespace KernelBench.Harness.Cli.Slurm;

/// <summary>One shard's progress read from its run folder: problems, attempts stored, problems begun, finished.</summary>
public sealed record ShardProgress(int Shard, bool Started, int Problems, int ProblemsBegun, int Attempts, bool Finished, bool Torn)
{
    public static IReadOnlyList<ShardProgress> Read(string runOut, int shards) =>
        Enumerable.Range(1, shards).Select(i => ReadOne(Path.Combine(runOut, new KernelBench.Harness.Problems.Sharding.Shard(i, shards).FolderName), i)).ToList();

    /// <summary>The shard count of a run folder from its shard-I-of-N folders, when no jobs.json says it.</summary>
    public static int? CountFromFolders(string runOut) => Directory.Exists(runOut)
        ? Directory.GetDirectories(runOut).Select(d => KernelBench.Harness.Problems.Sharding.Shard.FromFolderName(Path.GetFileName(d))?.Count).Max()
        : null;

    private static ShardProgress ReadOne(string folder, int index)
    {
        if (!File.Exists(Path.Combine(folder, RunStore.ManifestFile)))
            return new ShardProgress(index, false, 0, 0, 0, false, false);
        var store = RunStore.Open(folder);
        var log = store.ReadAttempts();
        var distinct = log.Attempts.Select(a => (a.ProblemKey, a.Chain, a.Index)).Distinct().ToList();
        return new ShardProgress(index, true, store.Manifest.ProblemKeys.Count, distinct.Select(a => a.ProblemKey).Distinct().Count(),
            distinct.Count, store.IsFinished, log.IsPartial);
    }
}
