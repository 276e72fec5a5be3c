using System.Text.Json;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Store.Merge;

/// <summary>Hand-made shard folders written through the real RunStore, as `kbh run --shard` leaves them.</summary>
internal static class ShardFolders
{
    public const string RunHash = "0f0f0f0f0f0f0f0f0f0f0f0f";

    public static string Make(string root, int index, int count, string[] keys, IEnumerable<AttemptRecord> attempts,
        bool finished = true, string model = "m", string runHash = RunHash, int runProblems = 4, string? folderName = null)
    {
        var folder = Path.Combine(root, folderName ?? $"shard-{index}-of-{count}");
        var store = RunStore.Create(folder, new RunManifest
        {
            RunId = $"run-{index}", Kind = "run", ProblemKeys = keys, ProblemSetHash = "subset-" + index, Model = model,
            Shard = new ShardInfo(index, count, runHash, runProblems),
        });
        var config = new Dictionary<string, object> { ["out"] = folder, ["model"] = new { name = model }, ["budget"] = new { attempts = 3 } };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config, HarnessJson.Indented));
        foreach (var a in attempts)
            store.Append(a);
        if (finished)
            store.MarkFinished(new AttemptLog([], []));
        return folder;
    }

    public static AttemptRecord Attempt(string key, int chain, int index, string status = "incorrect", string code = "x") => new()
    {
        ProblemKey = key, Level = key[1] - '0', ProblemId = int.Parse(key[3..], System.Globalization.CultureInfo.InvariantCulture),
        Chain = chain, Index = index, Status = status, Code = code, CodeSha256 = "sha-" + code,
        StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, index, TimeSpan.Zero),
    };
}
