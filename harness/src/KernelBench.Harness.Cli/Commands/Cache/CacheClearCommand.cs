using System.Globalization;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring.Cache;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Cache;

/// <summary>`kbh cache clear`: removes every build (run it when no evaluation is building).</summary>
public sealed class CacheClearCommand(IAnsiConsole console) : Command<CacheSettings>
{
    public override int Execute(CommandContext context, CacheSettings settings, CancellationToken cancellationToken)
    {
        var cache = new BuildCache(settings.Cache ?? BuildCache.DefaultRoot());
        var removed = cache.Clear();
        console.MarkupLine($"removed {removed.ToString(CultureInfo.InvariantCulture)} cached builds from [bold]{Markup.Escape(cache.Root)}[/]");
        return ExitCodes.Success;
    }
}
