using System.ComponentModel;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands;

/// <summary>Options shared by every command that reads a KernelBench folder.</summary>
public class KernelBenchSettings : CommandSettings
{
    [CommandOption("--kernelbench <DIR>")]
    [Description("KernelBench folder: the one that holds KernelBench/, KernelBench/ itself, or one levelN folder.")]
    public string? KernelBench { get; init; }

    public override Spectre.Console.ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(KernelBench)
            ? Spectre.Console.ValidationResult.Error("--kernelbench DIR is required.")
            : Spectre.Console.ValidationResult.Success();
}
