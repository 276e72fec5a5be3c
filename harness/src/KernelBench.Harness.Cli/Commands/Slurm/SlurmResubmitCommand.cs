using System.ComponentModel;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Cli.Slurm;
using KernelBench.Harness.Problems;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Slurm;

/// <summary>
/// `kbh slurm resubmit RUN_DIR --shard I`: runs a dead shard again (the array script with --array=I; it resumes from its
/// folder) and replaces the merge job, whose afterok on the old array can no longer be met, by one that waits for it.
/// </summary>
public sealed class SlurmResubmitCommand(IAnsiConsole console) : Command<SlurmResubmitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        public string RunDir { get; init; } = "";

        [CommandOption("--shard <I>")]
        [Description("The shard to run again (1-based).")]
        public int Shard { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var jobs = SlurmJobs.TryRead(settings.RunDir)
                   ?? throw new BadInputException($"{settings.RunDir}: no slurm/{SlurmJobs.File}; only runs submitted with `kbh slurm submit` can be resubmitted.");
        if (settings.Shard < 1 || settings.Shard > jobs.Shards)
            throw new BadInputException($"--shard {settings.Shard}: this run has shards 1 to {jobs.Shards}.");
        var progress = ShardProgress.Read(settings.RunDir, jobs.Shards)[settings.Shard - 1];
        if (progress.Finished)
            throw new BadInputException($"shard {settings.Shard}/{jobs.Shards} has finished ({progress.Attempts} attempts); nothing to resubmit.");
        if (SlurmTool.ArrayTaskStates(jobs.ShardJobs) is { } states && states.TryGetValue(settings.Shard, out var state))
            throw new BadInputException($"shard {settings.Shard} is still in the queue ({state}); scancel it first if it is stuck.");

        var script = Path.Combine(settings.RunDir, SlurmScripts.Folder, SlurmScripts.ArrayScript);
        var job = SlurmTool.Submit($"--array={settings.Shard}", script);
        var oldMerge = jobs.Resubmissions.LastOrDefault()?.MergeJob ?? jobs.MergeJob;
        SlurmTool.TryRun("scancel", oldMerge);
        // The new merge waits for this task to succeed and for every other shard job still queued to end; merge itself
        // refuses shards that did not finish, so nothing partial is ever written.
        var others = jobs.ShardJobs.Where(SlurmTool.InQueue).Select(j => $",afterany:{j}");
        var merge = SlurmTool.Submit($"--dependency=afterok:{job}{string.Concat(others)}", Path.Combine(settings.RunDir, SlurmScripts.Folder, SlurmScripts.MergeScript));
        (jobs with { Resubmissions = [.. jobs.Resubmissions, new SlurmJobs.Resubmission(settings.Shard, job, merge, DateTimeOffset.UtcNow)] }).Save(settings.RunDir);
        console.MarkupLineInterpolated($"resubmitted shard {settings.Shard}/{jobs.Shards} as job [bold]{job}[/] (resumes from {progress.Attempts} stored attempt(s)); merge job {oldMerge} replaced by [bold]{merge}[/]");
        return ExitCodes.Success;
    }
}
