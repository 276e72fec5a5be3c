using System.Text.Json;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Config;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Problems.Sharding;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// A run folder and what it needs: the resolved config (config.json, so a resume uses exactly what the run began with),
/// the selected problems, the prompts and the answer source. Everything that can be refused (problems, prompts, key)
/// is checked before the folder is created, so a bad config leaves nothing behind.
/// </summary>
public sealed class RunSession
{
    public const string ConfigFile = "config.json";

    private RunSession(RunConfig config, RunStore store, IReadOnlyList<Problem> problems, PromptSet prompts, IModelClient model)
    {
        Config = config;
        Store = store;
        Problems = problems;
        Prompts = prompts;
        Model = model;
    }

    // The config's answer source (or the caller's, in tests), capped at model.max_concurrent_requests when set.
    private static IModelClient OpenModel(ModelSettings settings, Func<ModelSettings, IModelClient>? models) =>
        ThrottledModelClient.Wrap((models ?? (m => ModelClientFactory.Create(m)))(settings), settings.MaxConcurrentRequests);

    public RunConfig Config { get; }
    public RunStore Store { get; }
    public IReadOnlyList<Problem> Problems { get; }
    public PromptSet Prompts { get; }
    public IModelClient Model { get; }

    /// <summary>
    /// Starts a new run folder at config.Out, or with a <paramref name="shard"/> at config.Out/shard-I-of-N holding only
    /// that shard's problems (<see cref="ShardSelector"/>); the shard and the whole problem set are in the manifest.
    /// </summary>
    public static RunSession Start(RunConfig config, string harnessVersion, Func<ModelSettings, IModelClient>? models = null, Shard? shard = null)
    {
        if (shard is not null)
            config = config with { Out = Path.Combine(config.Out, shard.FolderName) };
        if (File.Exists(Path.Combine(config.Out, RunStore.ManifestFile)))
            throw new RunStoreException($"{config.Out}: a run already exists here; continue it with `kbh run --resume {config.Out}` or set another 'out'.");
        var all = Select(config);
        var problems = shard is null ? all : ShardSelector.Select(all, shard);
        var prompts = PromptSet.Load(config.Prompts);
        var model = OpenModel(config.Model, models);
        var store = RunStore.Create(config.Out, new RunManifest
        {
            RunId = $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Path.GetFileName(config.Out.TrimEnd('/'))}",
            Kind = "run", CreatedAt = DateTimeOffset.UtcNow, HarnessVersion = harnessVersion,
            KernelBenchRoot = config.KernelBench, ProblemSetHash = ProblemSet.ComputeHash(problems),
            ProblemKeys = problems.Select(p => p.Key).ToList(), Model = config.Model.Name, Strategy = config.Strategy,
            Budget = config.Budget.ToString(), BudgetMinutes = config.Budget.Minutes, BudgetAttempts = config.Budget.Attempts,
            BudgetTokens = config.Budget.Tokens, Device = config.Device,
            ConfigYaml = File.Exists(config.SourcePath) ? File.ReadAllText(config.SourcePath) : null,
            Shard = shard is null ? null : ShardInfo.Of(shard, all),
        });
        File.WriteAllText(Path.Combine(config.Out, ConfigFile), JsonSerializer.Serialize(config, HarnessJson.Indented));
        return new RunSession(config, store, problems, prompts, model);
    }

    public static RunSession Resume(string folder, Func<ModelSettings, IModelClient>? models = null)
    {
        var store = RunStore.Open(folder);
        store.EndTornLine();
        var configPath = Path.Combine(folder, ConfigFile);
        if (store.Manifest.Kind != "run" || !File.Exists(configPath))
            throw new RunStoreException($"{folder}: not an agent run (no {ConfigFile}); only `kbh run` folders can be resumed.");
        RunConfig config;
        try
        {
            config = JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(configPath), HarnessJson.Options)
                     ?? throw new JsonException("empty");
            config = RunConfigCompat.Upgrade(config, File.ReadAllText(configPath));
        }
        catch (JsonException e)
        {
            throw new RunStoreException($"{configPath}: unreadable run config ({e.Message}).");
        }
        var problems = Select(config);
        if (store.Manifest.Shard is { } part)
            problems = ShardSelector.Select(problems, new Shard(part.Index, part.Count));
        var hash = ProblemSet.ComputeHash(problems);
        if (store.Manifest.ProblemSetHash.Length > 0 && hash != store.Manifest.ProblemSetHash)
            throw new RunStoreException($"{folder}: the problem files under {config.KernelBench} changed since this run began; results would mix versions. Start a new run.");
        var model = OpenModel(config.Model, models);
        return new RunSession(config, store, problems, PromptSet.Load(config.Prompts), model);
    }

    public Task<IReadOnlyList<ProblemOutcome>> RunAsync(IVerifier verifier, Action<AttemptRecord>? onAttempt, CancellationToken cancellationToken)
    {
        var ctx = new LoopContext(Config, Prompts, Model, new VerificationGate(verifier, Config.VerifyParallel), Store) { OnAttempt = onAttempt };
        return AgentRunner.RunAsync(ctx, Problems, cancellationToken);
    }

    /// <summary>The problems a config selects (all shards'), refused with the config's file named when there are none.</summary>
    public static IReadOnlyList<Problem> Select(RunConfig config)
    {
        var set = ProblemLoader.Load(config.KernelBench);
        var chosen = set.Problems.Where(p => config.Problems.Levels.Contains(p.Level)
                                             && (config.Problems.Ids.Count == 0 || config.Problems.Ids.Contains(p.Id))).ToList();
        var missing = config.Problems.Ids.Where(id => !chosen.Any(p => p.Id == id)).ToList();
        if (missing.Count > 0)
            throw new BadInputException($"{config.SourcePath}: problems.ids {string.Join(", ", missing)} not found at level {string.Join("/", config.Problems.Levels)} under {config.KernelBench}.");
        if (chosen.Count == 0)
            throw new BadInputException($"{config.SourcePath}: no problems at level {string.Join("/", config.Problems.Levels)} under {config.KernelBench}.");
        return chosen;
    }
}
