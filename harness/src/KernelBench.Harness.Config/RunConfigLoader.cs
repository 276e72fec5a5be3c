using KernelBench.Harness.Core.Settings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KernelBench.Harness.Config;

/// <summary>
/// Reads a run config from YAML. Relative paths are resolved against the config file's folder.
/// Nothing runs on a bad config: every problem is a <see cref="ConfigException"/> naming file, line, column and cause.
/// </summary>
public static class RunConfigLoader
{
    public static RunConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException($"{path}: config file not found.");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: unreadable ({e.Message}).");
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static RunConfig Parse(string yaml, string fileLabel, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{fileLabel}:{e.Start.Line}:{e.Start.Column}: not valid YAML ({Inner(e).Message})");
        }
        catch (InvalidOperationException e)
        {
            // Some malformed inputs trip the representation model rather than the parser: report where parsing stopped.
            var mark = LastGoodMark(yaml);
            throw new ConfigException($"{fileLabel}:{mark.Line}:{mark.Column}: not valid YAML ({e.Message})");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException($"{fileLabel}:1:1: a run config must be a YAML mapping (key: value pairs).");

        var top = new YamlSection(root, fileLabel, "").Expect("kernelbench", "problems", "model", "budget", "strategy", "samples",
            "parallel_problems", "verify_parallel", "stop_at_speedup", "device", "gpus", "out", "eval", "prompts");
        var config = new RunConfig
        {
            KernelBench = Resolve(baseDirectory, top.String("kernelbench", required: true)!),
            Problems = ReadProblems(top.Section("problems", required: true)!),
            Model = ReadModel(top.Section("model", required: true)!, baseDirectory),
            Budget = ReadBudget(top, top.Section("budget", required: true)!),
            Strategy = top.Choice("strategy", "sequential", "sequential", "best_of_n", "hybrid"),
            Samples = top.Int("samples", 1, 1024) ?? 1,
            ParallelProblems = top.Int("parallel_problems", 1, 1024) ?? 1,
            VerifyParallel = top.Int("verify_parallel", 1, 1024),
            StopAtSpeedup = top.Double("stop_at_speedup", 0, 1e6),
            Gpus = ReadGpus(top),
            // No out: results/runs/<config name> under the directory kbh runs in (the repository root, usually).
            Out = top.String("out") is { } folder ? Resolve(baseDirectory, folder) : DefaultOut(fileLabel),
            Eval = ReadEval(top, top.Section("eval")),
            Prompts = ReadPrompts(top.Section("prompts"), baseDirectory),
            SourcePath = fileLabel,
        };
        top.Finish();
        return config;
    }

    private static ProblemSelection ReadProblems(YamlSection s)
    {
        s.Expect("level", "levels", "ids");
        var levels = s.Has("levels") ? s.IntList("levels", 1, 4)! : [s.Int("level", 1, 4, required: !s.Has("levels"))!.Value];
        var ids = s.IntList("ids", 1, 100_000) ?? [];
        s.Finish();
        return new ProblemSelection(levels, ids);
    }

    private static ModelSettings ReadModel(YamlSection s, string baseDirectory)
    {
        s.Expect("provider", "base_url", "name", "api_key_env", "temperature", "top_p", "max_output_tokens", "max_tokens_field",
            "system_prompt", "request_timeout_s", "idle_timeout_s", "max_retries", "max_concurrent_requests", "replay_from");
        var provider = s.Choice("provider", "openai", "openai", "replay");
        var model = new ModelSettings
        {
            Provider = provider,
            BaseUrl = provider == "openai" ? ReadUrl(s) : s.String("base_url") ?? "",
            Name = s.String("name", required: true)!,
            ApiKeyEnv = s.String("api_key_env"),
            Temperature = s.Double("temperature", 0, 2) ?? 0.6,
            TopP = s.Double("top_p", 0, 1) ?? 0.95,
            MaxOutputTokens = s.Int("max_output_tokens", 1, 10_000_000) ?? 32768,
            MaxTokensField = s.Choice("max_tokens_field", "max_tokens", "max_tokens", "max_completion_tokens"),
            SystemPrompt = s.String("system_prompt"),
            RequestTimeoutSeconds = s.Double("request_timeout_s", 1, 86_400) ?? 1800,
            IdleTimeoutSeconds = s.Double("idle_timeout_s", 1, 86_400) ?? 300,
            MaxRetries = s.Int("max_retries", 0, 100) ?? 5,
            MaxConcurrentRequests = s.Int("max_concurrent_requests", 1, 100_000),
            ReplayFrom = s.String("replay_from") is { } replay ? Resolve(baseDirectory, replay) : null,
        };
        if (provider == "replay" && model.ReplayFrom is null)
            throw s.Missing("replay_from");
        s.Finish();
        return model;
    }

    private static string ReadUrl(YamlSection s)
    {
        var url = s.String("base_url", required: true)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw s.ErrorAt("base_url", $"'model.base_url' must be an http(s) URL, not '{url}'");
        return url;
    }

    private static BudgetSettings ReadBudget(YamlSection top, YamlSection s)
    {
        s.Expect("minutes", "attempts", "tokens");
        var budget = new BudgetSettings(s.Double("minutes", 0.01, 100_000), s.Int("attempts", 1, 1_000_000), s.Long("tokens", 1, long.MaxValue));
        s.Finish();
        if (budget.Minutes is null && budget.Attempts is null && budget.Tokens is null)
            throw top.ErrorAt("budget", "'budget' needs at least one of minutes, attempts or tokens");
        return budget;
    }

    private static IReadOnlyList<int>? ReadGpus(YamlSection top)
    {
        var gpus = top.IntList("gpus", 0, 1023);
        if (gpus is not null && (top.String("device") ?? "cuda") != "cuda")
            throw top.ErrorAt("gpus", "'gpus' picks GPUs for 'device: cuda'; remove it, or set device: cuda");
        if (gpus is { Count: 0 })
            throw top.ErrorAt("gpus", "'gpus' is empty; list GPU ordinals such as [0, 2], or remove it to use every visible GPU");
        return gpus;
    }

    /// <summary>The eval: section and the top-level device, through the one settings parser (the flags use it too).</summary>
    private static EvalOptions ReadEval(YamlSection top, YamlSection? s)
    {
        s?.Expect(SettingInfo.All.Where(k => !k.Attribute.TopLevel).Select(k => k.Key).ToArray());
        try
        {
            return SettingsParser.Parse(k => k.Attribute.TopLevel ? top.Raw(k.Key) : s?.Raw(k.Key));
        }
        catch (SettingException e)
        {
            throw new ConfigException(e.Message);
        }
    }

    private static PromptSettings ReadPrompts(YamlSection? s, string baseDirectory)
    {
        if (s is null)
            return new PromptSettings();
        s.Expect("initial", "feedback");
        var prompts = new PromptSettings(
            s.String("initial") is { } i ? Resolve(baseDirectory, i) : null,
            s.String("feedback") is { } f ? Resolve(baseDirectory, f) : null);
        s.Finish();
        return prompts;
    }

    public static string DefaultOut(string configPath) =>
        Path.GetFullPath(Path.Combine("results", "runs", Path.GetFileNameWithoutExtension(configPath) is { Length: > 0 } stem ? stem : "run"));

    private static string Resolve(string baseDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));

    private static Mark LastGoodMark(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var mark = Mark.Empty;
        try
        {
            while (parser.MoveNext())
                mark = parser.Current!.End;
        }
        catch (YamlException e)
        {
            return e.Start;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail this way on an unclosed flow collection: the last good event is the place.
        }
        return mark;
    }

    private static Exception Inner(Exception e) => e.InnerException is { } inner && inner != e ? Inner(inner) : e;
}
