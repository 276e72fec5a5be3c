using System.ComponentModel;
using System.Globalization;
using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Config;
using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Problems.Sharding;
using KernelBench.Harness.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Run;

/// <summary>`kbh run --config FILE` runs the agent loop into a new run folder; `kbh run --resume DIR` continues one.</summary>
public sealed class RunCommand(IAnsiConsole console) : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("The run config (YAML); the run folder is its 'out'.")]
        public string? Config { get; init; }

        [CommandOption("--resume <DIR>")]
        [Description("Continue an interrupted run folder with the settings it began with.")]
        public string? Resume { get; init; }

        [CommandOption("--shard <I/N>")]
        [Description("Run only shard I of N (1-based, balanced by level) into OUT/shard-I-of-N; join shards with `kbh merge`.")]
        public string? Shard { get; init; }

        [CommandOption("--policy <POLICY>")]
        [Description("Which findings reject (overrides the config's eval.policy): evidence (default), kernelbench, kernelbench-static or strict.")]
        public string? Policy { get; init; }

        public override ValidationResult Validate() => (Config is null) == (Resume is null)
            ? ValidationResult.Error("give exactly one of --config FILE (a new run) or --resume DIR (continue a run).")
            : Shard is not null && Resume is not null
                ? ValidationResult.Error("--shard goes with --config; a resumed shard folder already knows its shard.")
                : Policy is not null && Resume is not null
                    ? ValidationResult.Error("--policy goes with --config; a resumed run keeps the policy it began with.")
                    : PolicyError() is { } error
                        ? ValidationResult.Error(error)
                        : ValidationResult.Success();

        /// <summary>--policy read by the one settings parser (the words and choices of eval.policy and kbh eval's flag).</summary>
        public Policy? ParsedPolicy => Policy is { } text
            ? SettingsParser.Parse(s => s.Key == "policy" ? new RawSetting(text, "--policy") : null).Policy
            : null;

        private string? PolicyError()
        {
            try
            {
                _ = ParsedPolicy;
                return null;
            }
            catch (SettingException e)
            {
                return e.Message;
            }
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var session = settings.Resume is { } dir
            ? RunSession.Resume(dir)
            : RunSession.Start(WithPolicy(RunConfigLoader.Load(settings.Config!), settings.ParsedPolicy), VersionInfo.Describe(),
                shard: settings.Shard is { } shard ? Shard.Parse(shard) : null);
        var config = session.Config;
        var earlier = session.Store.ReadAttempts();
        foreach (var problem in earlier.Problems)
            console.MarkupLineInterpolated($"[yellow]warning[/]: {problem}");
        console.MarkupLineInterpolated(
            $"{(settings.Resume is null ? "run" : "resuming")} [bold]{config.Out}[/]: {session.Problems.Count} problem(s), {session.Model.Describe}, {config.Strategy}, budget {config.Budget} per problem{(earlier.Attempts.Count > 0 ? $", {earlier.Attempts.Count} attempt(s) already stored" : "")}");
        foreach (var u in StartLog.Unfinished(session.Store.ReadStarted(), earlier.Attempts))
            console.MarkupLineInterpolated(
                $"  {u.Attempt.ProblemKey} chain {u.Attempt.Chain} attempt {u.Attempt.Index + 1} was being judged when the run stopped: {(u.Starts < AttemptRunner.MaxStarts ? "judged again" : "the harness died judging it twice; recorded as harness_interrupted")}");
        IReadOnlyList<ProblemOutcome> outcomes;
        try
        {
            using var verifier = VerifierFactory.Create(config);
            outcomes = await session.RunAsync(verifier, Report, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLineInterpolated($"stopped; every finished attempt is stored. Continue with: kbh run --resume {config.Out}");
            throw;
        }
        Summarize(outcomes);
        if (outcomes.Any(o => o.StopReason.StartsWith("model error", StringComparison.Ordinal)))
            return ExitCodes.Failed;
        session.Store.MarkFinished(session.Store.ReadAttempts());
        return ExitCodes.Success;
    }

    private static RunConfig WithPolicy(RunConfig config, Policy? policy) =>
        policy is { } p ? config with { Eval = config.Eval with { Policy = p } } : config;

    private void Report(AttemptRecord a)
    {
        var detail = a.Verdict?.Speedup is { } s ? $" speedup {s.ToString("0.00", CultureInfo.InvariantCulture)}x" : a.Error is { } e ? $" ({e})" : "";
        console.MarkupLineInterpolated($"  {a.ProblemKey} chain {a.Chain} attempt {a.Index + 1}: {a.Status}{detail} [grey]({a.ChargedSeconds:0.0} s, {a.CompletionTokens ?? 0} tokens)[/]");
    }

    private void Summarize(IReadOnlyList<ProblemOutcome> outcomes)
    {
        var table = new Table().AddColumns("problem", "attempts", "best", "speedup", "ended because");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.ProblemKey), o.Attempts.ToString(CultureInfo.InvariantCulture), Markup.Escape(o.Best?.Status ?? "-"),
                o.Best?.Verdict?.Speedup is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "-", Markup.Escape(o.StopReason));
        console.Write(table);
        console.MarkupLineInterpolated($"{outcomes.Count(o => o.Solved)} of {outcomes.Count} problem(s) have a correct kernel.");
    }
}
