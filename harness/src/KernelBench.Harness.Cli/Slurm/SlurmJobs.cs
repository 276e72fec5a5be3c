using System.Text.Json;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Cli.Slurm;

/// <summary>slurm/jobs.json in the run folder: what was submitted, so status and resubmit know the jobs.</summary>
public sealed record SlurmJobs
{
    public const string File = "jobs.json";

    public required int Shards { get; init; }
    public required string Config { get; init; }
    public required string ArrayJob { get; init; }
    public required string MergeJob { get; init; }
    public IReadOnlyList<Resubmission> Resubmissions { get; init; } = [];

    public sealed record Resubmission(int Shard, string Job, string MergeJob, DateTimeOffset At);

    /// <summary>Every job that runs shards: the array and each resubmitted task.</summary>
    public IEnumerable<string> ShardJobs => Resubmissions.Select(r => r.Job).Prepend(ArrayJob);

    public static string PathIn(string runOut) => System.IO.Path.Combine(runOut, SlurmScripts.Folder, File);

    public static SlurmJobs? TryRead(string runOut)
    {
        var path = PathIn(runOut);
        if (!System.IO.File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<SlurmJobs>(System.IO.File.ReadAllText(path), HarnessJson.Options);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: unreadable ({e.Message}).");
        }
    }

    public void Save(string runOut) => System.IO.File.WriteAllText(PathIn(runOut), JsonSerializer.Serialize(this, HarnessJson.Indented));
}
