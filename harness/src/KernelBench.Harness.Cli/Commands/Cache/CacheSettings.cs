using System.ComponentModel;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Cache;

/// <summary>Options shared by the `kbh cache` commands.</summary>
public class CacheSettings : CommandSettings
{
    [CommandOption("--cache <DIR>")]
    [Description("Build cache folder (default: $KBH_CACHE, else ~/.cache/kbh/builds).")]
    public string? Cache { get; init; }
}
