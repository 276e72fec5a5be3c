using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Scoring.Cache;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Cache;

/// <summary>`kbh cache info`: how many finished builds the cache holds, their size and the newest.</summary>
public sealed class CacheInfoCommand(IAnsiConsole console) : Command<CacheInfoCommand.Settings>
{
    public sealed class Settings : CacheSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("text (default) or json.")]
        [DefaultValue("text")]
        public string Format { get; init; } = "text";

        public override ValidationResult Validate() =>
            Format is "text" or "json" ? ValidationResult.Success() : ValidationResult.Error($"--format must be text or json, not '{Format}'.");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var cache = new BuildCache(settings.Cache ?? BuildCache.DefaultRoot());
        var info = cache.Info();
        if (settings.Format == "json")
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(info, BuildCacheJsonContext.Default.BuildCacheInfo));
            return ExitCodes.Success;
        }
        console.MarkupLine($"cache    [bold]{Markup.Escape(info.Root)}[/]{(Directory.Exists(info.Root) ? "" : " (does not exist yet)")}");
        console.MarkupLine($"entries  {info.Entries.ToString(CultureInfo.InvariantCulture)}");
        console.MarkupLine($"size     {FormatBytes(info.Bytes)}");
        console.MarkupLine($"objects  {info.Objects.ToString(CultureInfo.InvariantCulture)} compiled files, {FormatBytes(info.LauncherBytes)} with precompiled headers");
        console.MarkupLine($"newest   {(info.Newest is { } n ? n.ToString("u", CultureInfo.InvariantCulture) : "-")}");
        if (info.Failed > 0)
            console.MarkupLine($"kept compile errors (raised again without compiling): {info.Failed.ToString(CultureInfo.InvariantCulture)}");
        if (info.Unfinished > 0)
            console.MarkupLine($"unfinished builds (in progress or killed; never loaded): {info.Unfinished.ToString(CultureInfo.InvariantCulture)}");
        return ExitCodes.Success;
    }

    private static string FormatBytes(long bytes) =>
        bytes < 1024 * 1024
            ? $"{(bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KiB"
            : $"{(bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture)} MiB";
}
