namespace KernelBench.Harness.Store;

/// <summary>
/// What a run was started with, written once as run.json when the run folder is created, so a resume
/// and a report use exactly the settings the run began with.
/// </summary>
public sealed record RunManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string RunId { get; init; }

    /// <summary>"eval" (candidates from files) or "run" (the agent loop).</summary>
    public required string Kind { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public string HarnessVersion { get; init; } = "";
    public string KernelBenchRoot { get; init; } = "";
    public string ProblemSetHash { get; init; } = "";
    public IReadOnlyList<string> ProblemKeys { get; init; } = [];

    public string Model { get; init; } = "";
    public string Strategy { get; init; } = "";

    /// <summary>Budget per problem as written in the config, e.g. "15 min, 20 attempts".</summary>
    public string Budget { get; init; } = "";
    public double? BudgetMinutes { get; init; }
    public int? BudgetAttempts { get; init; }
    public long? BudgetTokens { get; init; }

    public string Device { get; init; } = "";
    public string Gpu { get; init; } = "";

    /// <summary>The resolved run configuration, as YAML text, when the run came from a config file.</summary>
    public string? ConfigYaml { get; init; }

    public KernelBench.Harness.Scoring.Verdicts.EvalSettings? EvalSettings { get; init; }

    /// <summary>
    /// Every setting a `kbh eval` run was given (workers and the other speed switches included); a `kbh run` keeps them
    /// in config.json. Not compared between shards: nodes may differ in workers.
    /// </summary>
    public KernelBench.Harness.Core.Settings.EvalOptions? Options { get; init; }

    /// <summary>Set when this folder is one shard of a run split over machines (`--shard I/N`); null for a whole run.</summary>
    public ShardInfo? Shard { get; init; }

    /// <summary>Set on a run joined by `kbh merge`: the run ids of the shards it was made from.</summary>
    public IReadOnlyList<string>? MergedFrom { get; init; }
}

/// <summary>Which shard a folder holds, and the whole run it is part of, so `kbh merge` can check coverage and agreement.</summary>
/// <param name="Index">1-based shard number.</param>
/// <param name="Count">How many shards the run was split into.</param>
/// <param name="RunProblemSetHash">Hash of the whole run's problem set (every shard's problems), the same in every shard.</param>
/// <param name="RunProblemCount">How many problems the whole run has.</param>
public sealed record ShardInfo(int Index, int Count, string RunProblemSetHash, int RunProblemCount)
{
    /// <summary>The manifest entry of <paramref name="shard"/> of a run over <paramref name="all"/> problems (every shard's).</summary>
    public static ShardInfo Of(KernelBench.Harness.Problems.Sharding.Shard shard, IReadOnlyCollection<KernelBench.Harness.Problems.Problem> all) =>
        new(shard.Index, shard.Count, KernelBench.Harness.Problems.ProblemSet.ComputeHash(all), all.Count);
}
