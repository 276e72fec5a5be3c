using System.ComponentModel;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Store.Merge;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Merge;

/// <summary>`kbh merge SHARD_DIR... --out DIR` joins the shard folders of one run into a single run folder.</summary>
public sealed class MergeCommand(IAnsiConsole console) : Command<MergeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("Shard folders (OUT/shard-I-of-N) of one run.")]
        public string[] Folders { get; init; } = [];

        [CommandOption("--out <DIR>")]
        [Description("The merged run folder (must not hold a run yet).")]
        public string? Out { get; init; }

        [CommandOption("--partial")]
        [Description("Merge even when shards are missing or unfinished (reported as warnings; the result is not marked finished).")]
        public bool Partial { get; init; }

        public override ValidationResult Validate() => string.IsNullOrWhiteSpace(Out)
            ? ValidationResult.Error("--out DIR is required: the folder the merged run is written to.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var report = RunMerger.Merge(settings.Folders, settings.Out!, settings.Partial);
        foreach (var warning in report.Warnings)
            console.MarkupLineInterpolated($"[yellow]warning[/]: {warning}");
        console.MarkupLineInterpolated(
            $"merged {report.Folders} shard folder(s) into [bold]{report.Out}[/]: {report.Attempts} attempt(s){(report.DuplicatesCollapsed > 0 ? $", {report.DuplicatesCollapsed} identical duplicate(s) collapsed" : "")}{(report.Complete ? "" : " [yellow](partial)[/]")}");
        return ExitCodes.Success;
    }
}
