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
}
