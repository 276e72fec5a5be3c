using System.ComponentModel;
using KernelBench.Harness.Config;
using Spectre.Console;
using Spectre.Console.Cli;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KernelBench.Harness.Cli.Commands.Config;

/// <summary>`kbh config check FILE`: validates a run config and prints the resolved settings as YAML.</summary>
public sealed class ConfigCheckCommand(IAnsiConsole console) : Command<ConfigCheckCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The run config (YAML).")]
        public string File { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = RunConfigLoader.Load(settings.File);
        console.MarkupLine($"[green]ok[/]: {Markup.Escape(settings.File)} is a valid run config. Resolved settings:");
        Console.Out.Write(Describe(config));
        return 0;
    }

    /// <summary>The resolved config as YAML, the same text a run folder records.</summary>
    public static string Describe(RunConfig config) =>
        new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build().Serialize(config);
}
