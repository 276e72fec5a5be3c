using System.ComponentModel;
using System.Globalization;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Cli.Slurm;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Slurm;

/// <summary>`kbh slurm status RUN_DIR`: each shard's progress from its run folder, with its queue state when squeue answers.</summary>
public sealed class SlurmStatusCommand(IAnsiConsole console) : Command<SlurmStatusCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("The run's 'out' folder (holding shard-I-of-N folders and slurm/).")]
        public string RunDir { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var jobs = SlurmJobs.TryRead(settings.RunDir);
        var shards = jobs?.Shards ?? ShardProgress.CountFromFolders(settings.RunDir)
            ?? throw new BadInputException($"{settings.RunDir}: no shards here (neither slurm/{SlurmJobs.File} nor shard-I-of-N folders).");
        var states = jobs is null ? null : SlurmTool.ArrayTaskStates(jobs.ShardJobs);
        var table = new Table().AddColumns("shard", "problems begun", "attempts", "folder", "slurm");
        foreach (var p in ShardProgress.Read(settings.RunDir, shards))
        {
            var folder = !p.Started ? "not started" : p.Finished ? "finished" : p.Torn ? "stopped mid-write" : "running or stopped";
            var queue = jobs is null ? "-" : states is null ? "(no squeue)" : states.TryGetValue(p.Shard, out var s) ? s : "not in queue";
            table.AddRow($"{p.Shard}/{shards}", $"{p.ProblemsBegun}/{p.Problems}", p.Attempts.ToString(CultureInfo.InvariantCulture),
                folder, Markup.Escape(queue));
        }
        console.Write(table);
        var merged = Path.Combine(settings.RunDir, "merged");
        console.MarkupLineInterpolated($"merged run: {(File.Exists(Path.Combine(merged, RunStore.FinishedFile)) ? merged : "not yet")}");
        if (jobs is not null)
            console.MarkupLineInterpolated($"array job {jobs.ArrayJob}, merge job {jobs.Resubmissions.LastOrDefault()?.MergeJob ?? jobs.MergeJob}{(jobs.Resubmissions.Count > 0 ? $", {jobs.Resubmissions.Count} resubmission(s)" : "")}");
        return ExitCodes.Success;
    }
}
