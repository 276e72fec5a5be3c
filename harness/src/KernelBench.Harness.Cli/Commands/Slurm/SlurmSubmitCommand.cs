using System.ComponentModel;
using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Cli.Slurm;
using KernelBench.Harness.Config;
using KernelBench.Harness.Problems;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Slurm;

/// <summary>
/// `kbh slurm submit --config FILE --shards N`: writes the job-array and merge scripts into OUT/slurm/ and submits them,
/// the merge with --dependency=afterok on the array. Each array task runs one shard into OUT/shard-I-of-N.
/// </summary>
public sealed class SlurmSubmitCommand(IAnsiConsole console) : Command<SlurmSubmitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--config <FILE>")]
        [Description("The run config (YAML); shards go to its 'out'/shard-I-of-N, the merged run to 'out'/merged.")]
        public string? Config { get; init; }

        [CommandOption("--shards <N>")]
        [Description("How many shards (array tasks); each gets a balanced share of every level.")]
        public int Shards { get; init; }

        [CommandOption("--partition <NAME>")]
        public string? Partition { get; init; }

        [CommandOption("--account <NAME>")]
        public string? Account { get; init; }

        [CommandOption("--constraint <FEATURES>")]
        [Description("Node features (#SBATCH --constraint), e.g. the GPU model: kbh merge refuses shards judged on different GPU models.")]
        public string? Constraint { get; init; }

        [CommandOption("--time <LIMIT>")]
        [Description("Time limit per shard, in Slurm's format.")]
        [DefaultValue("24:00:00")]
        public string Time { get; init; } = "24:00:00";

        [CommandOption("--gpus-per-task <N>")]
        [Description("GPUs per shard (#SBATCH --gres=gpu:N); default 1 for device: cuda, 0 for cpu. kbh uses every GPU it is given.")]
        public int? GpusPerTask { get; init; }

        [CommandOption("--cpus-per-task <N>")]
        [Description("CPUs per shard (extension builds run on them); default 8 for device: cuda, 1 for cpu.")]
        public int? CpusPerTask { get; init; }

        [CommandOption("--launcher <COMMAND>")]
        [Description("How compute nodes start kbh; default this kbh (the self-contained build of scripts/publish.sh, or dotnet kbh.dll).")]
        public string? Launcher { get; init; }

        [CommandOption("--job-name <NAME>")]
        public string? JobName { get; init; }

        [CommandOption("--dry-run")]
        [Description("Write the scripts and print the sbatch commands without submitting.")]
        public bool DryRun { get; init; }

        public override ValidationResult Validate() =>
            Config is null ? ValidationResult.Error("--config FILE is required.")
            : Shards is < 1 or > 100_000 ? ValidationResult.Error("--shards N is required, 1 to 100000.")
            : GpusPerTask is < 0 || CpusPerTask is < 1 ? ValidationResult.Error("--gpus-per-task must be ≥ 0 and --cpus-per-task ≥ 1.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = RunConfigLoader.Load(settings.Config!);
        if (SlurmJobs.TryRead(config.Out) is { } earlier)
            throw new BadInputException($"{config.Out}: already submitted (array job {earlier.ArrayJob}); see `kbh slurm status {config.Out}`, or resubmit a shard with `kbh slurm resubmit`.");
        var problems = RunSession.Select(config).Count; // a bad selection fails here, not in every array task
        if (settings.Shards > problems)
            console.MarkupLineInterpolated($"[yellow]warning[/]: {settings.Shards} shards for {problems} problem(s): {settings.Shards - problems} shard(s) will have nothing to do.");
        var gpu = config.Device.StartsWith("cuda", StringComparison.Ordinal);
        var options = new SlurmOptions(settings.Shards, settings.Launcher ?? Launcher.Default(), settings.Time,
            settings.GpusPerTask ?? (gpu ? 1 : 0), settings.CpusPerTask ?? (gpu ? 8 : 1), settings.Partition, settings.Account,
            settings.JobName ?? "kbh-" + Path.GetFileName(config.Out.TrimEnd('/')), settings.Constraint);
        var (array, merge) = SlurmScripts.Write(config.Out, settings.Config!, options);
        console.MarkupLineInterpolated($"wrote [bold]{array}[/] and [bold]{merge}[/]");
        if (settings.DryRun)
        {
            console.WriteLine($"sbatch --parsable {array}");
            console.WriteLine($"sbatch --parsable --dependency=afterok:<array job> {merge}");
            return ExitCodes.Success;
        }
        var arrayJob = SlurmTool.Submit(array);
        var mergeJob = SlurmTool.Submit($"--dependency=afterok:{arrayJob}", merge);
        new SlurmJobs { Shards = settings.Shards, Config = Path.GetFullPath(settings.Config!), ArrayJob = arrayJob, MergeJob = mergeJob }.Save(config.Out);
        console.MarkupLineInterpolated($"submitted {problems} problem(s) in {settings.Shards} shard(s) as array job [bold]{arrayJob}[/], merge job [bold]{mergeJob}[/] (after all succeed)");
        console.MarkupLineInterpolated($"follow with: kbh slurm status {config.Out}");
        return ExitCodes.Success;
    }
}
