using System.ComponentModel;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Models;

/// <summary>`kbh models --config FILE`: what the configured endpoint serves (GET /models), marking the configured model.</summary>
public sealed class ModelsCommand(IAnsiConsole console) : AsyncCommand<ModelsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("The run config (YAML) whose model endpoint to ask.")]
        public string Config { get; init; } = "";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Config) ? ValidationResult.Error("--config FILE is required.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = RunConfigLoader.Load(settings.Config).Model;
        if (model.Provider != "openai")
            throw new ModelEndpointException($"{settings.Config}: model.provider is '{model.Provider}'; only an openai endpoint can list models.");
        var served = await ModelCatalog.ListAsync(model, ApiKeySource.Take(model.ApiKeyEnv), cancellationToken);
        foreach (var id in served)
            console.MarkupLineInterpolated($"{(id == model.Name ? "* " : "  ")}{id}");
        if (!served.Contains(model.Name))
        {
            console.MarkupLineInterpolated($"[yellow]model.name '{model.Name}' is not among the {served.Count} model(s) served at {model.BaseUrl}[/]");
            return 1;
        }
        return 0;
    }
}
