using KernelBench.Harness.Core.Settings;

namespace KernelBench.Harness.Config;

/// <summary>
/// A run's settings, resolved once from YAML (paths made absolute, defaults filled in) and then immutable.
/// The README documents every key; <see cref="RunConfigLoader"/> is the only way to build one from a file.
/// </summary>
public sealed record RunConfig
{
    /// <summary>Absolute path of the KernelBench folder.</summary>
    public required string KernelBench { get; init; }
    public required ProblemSelection Problems { get; init; }
    public required ModelSettings Model { get; init; }
    public required BudgetSettings Budget { get; init; }

    /// <summary>sequential, best_of_n or hybrid.</summary>
    public string Strategy { get; init; } = "sequential";

    /// <summary>Independent chains for best_of_n and hybrid (1 for sequential).</summary>
    public int Samples { get; init; } = 1;

    /// <summary>Problems worked on at once (each with its own model requests).</summary>
    public int ParallelProblems { get; init; } = 1;

    /// <summary>
    /// Candidates judged at once across the run (a shared GPU's queue); null: no limit beyond the verifier's own.
    /// Time spent waiting for a slot is recorded per attempt and not charged to the problem's budget.
    /// </summary>
    public int? VerifyParallel { get; init; }

    /// <summary>Stop a problem early once a correct kernel reaches this speedup; null: only the budget stops it.</summary>
    public double? StopAtSpeedup { get; init; }

    /// <summary>cpu, cuda or cuda:N: the <c>device</c> setting of <see cref="Eval"/> (top-level in YAML).</summary>
    public string Device => Eval.Device;

    /// <summary>
    /// With device: cuda, the GPU ordinals to use (as the process sees them, i.e. after CUDA_VISIBLE_DEVICES), one GPU
    /// worker each; an ordinal listed twice gets two workers. Null: every visible GPU.
    /// </summary>
    public IReadOnlyList<int>? Gpus { get; init; }

    /// <summary>Absolute path of the run folder.</summary>
    public required string Out { get; init; }

    /// <summary>How candidates are judged: the one settings model, shared with `kbh eval` and `kbh baseline`'s flags.</summary>
    public EvalOptions Eval { get; init; } = new();
    public PromptSettings Prompts { get; init; } = new();

    /// <summary>The file this config was read from, for messages.</summary>
    public string SourcePath { get; init; } = "";
}

/// <summary>Which problems: one level or several, optionally a subset of ids.</summary>
public sealed record ProblemSelection(IReadOnlyList<int> Levels, IReadOnlyList<int> Ids);

/// <summary>An OpenAI-compatible chat endpoint and how to sample from it. R1's recommended sampling by default.</summary>
public sealed record ModelSettings
{
    /// <summary>openai (any OpenAI-compatible endpoint) or replay (answers from a finished run's transcripts).</summary>
    public string Provider { get; init; } = "openai";
    public string BaseUrl { get; init; } = "";
    public required string Name { get; init; }

    /// <summary>Name of the environment variable that holds the API key; the key itself is never in a config.</summary>
    public string? ApiKeyEnv { get; init; }

    public double Temperature { get; init; } = 0.6;
    public double TopP { get; init; } = 0.95;
    public int MaxOutputTokens { get; init; } = 32768;

    /// <summary>The request field that carries the output-token limit: max_tokens or max_completion_tokens.</summary>
    public string MaxTokensField { get; init; } = "max_tokens";

    /// <summary>R1's authors advise no system prompt: null sends none.</summary>
    public string? SystemPrompt { get; init; }

    public double RequestTimeoutSeconds { get; init; } = 1800;
    public double IdleTimeoutSeconds { get; init; } = 300;
    public int MaxRetries { get; init; } = 5;

    /// <summary>Model requests in flight at once over the whole run (problems × chains); null: no limit.</summary>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary>Run folder whose transcripts the replay provider answers from.</summary>
    public string? ReplayFrom { get; init; }
}

/// <summary>Budget per problem; any combination, the first reached ends the problem. At least one is set.</summary>
public sealed record BudgetSettings(double? Minutes, int? Attempts, long? Tokens)
{
    public override string ToString() => string.Join(", ", new[]
    {
        Minutes is { } m ? $"{m:0.##} min" : null,
        Attempts is { } a ? $"{a} attempts" : null,
        Tokens is { } t ? $"{t} tokens" : null,
    }.Where(s => s is not null));
}

/// <summary>Prompt template files; null: the built-in KernelBench prompts.</summary>
public sealed record PromptSettings(string? Initial = null, string? Feedback = null);
