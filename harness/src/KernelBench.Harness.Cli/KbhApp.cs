using KernelBench.Harness.Cli.Commands.Baseline;
using KernelBench.Harness.Cli.Commands.Cache;
using KernelBench.Harness.Cli.Commands.Config;
using KernelBench.Harness.Cli.Commands.Eval;
using KernelBench.Harness.Cli.Commands.Gpus;
using KernelBench.Harness.Cli.Commands.Leaderboard;
using KernelBench.Harness.Cli.Commands.Merge;
using KernelBench.Harness.Cli.Commands.Models;
using KernelBench.Harness.Cli.Commands.Problems;
using KernelBench.Harness.Cli.Commands.Report;
using KernelBench.Harness.Cli.Commands.Run;
using KernelBench.Harness.Cli.Commands.Slurm;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Problems;
using Spectre.Console.Cli;
using Spectre.Console;

namespace KernelBench.Harness.Cli;

/// <summary>Routes `kbh` commands. Only routing and the exit-code policy live here; each command is its own file.</summary>
public static class KbhApp
{
    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName("kbh");
        config.SetApplicationVersion(VersionInfo.Describe());
        config.PropagateExceptions();
        config.AddBranch("problems", problems =>
        {
            problems.SetDescription("List and show KernelBench problems.");
            problems.AddCommand<ProblemsListCommand>("list")
                .WithDescription("List the problems of a KernelBench folder.")
                .WithExample("problems", "list", "--kernelbench", "../KernelBench", "--level", "1", "--format", "csv");
            problems.AddCommand<ProblemsShowCommand>("show")
                .WithDescription("Print one problem's metadata and source.")
                .WithExample("problems", "show", "--kernelbench", "../KernelBench", "--level", "1", "--id", "19");
        });
        config.AddBranch("config", cfg =>
        {
            cfg.SetDescription("Validate run configuration files.");
            cfg.AddCommand<ConfigCheckCommand>("check")
                .WithDescription("Validate a run config and print the resolved settings.")
                .WithExample("config", "check", "run.yaml");
        });
        config.AddCommand<RunCommand>("run")
            .WithDescription("Run the agent loop (model → ModelNew → verifier → feedback) over the configured problems, or resume a run.")
            .WithExample("run", "--config", "problems/demo.yaml").WithExample("run", "--resume", "results/runs/demo");
        config.AddCommand<MergeCommand>("merge")
            .WithDescription("Join the shard folders of one run (kbh run --shard I/N) into a single run folder.")
            .WithExample("merge", "results/runs/big/shard-1-of-2", "results/runs/big/shard-2-of-2", "--out", "results/runs/big/merged");
        config.AddBranch("slurm", slurm =>
        {
            slurm.SetDescription("Spread a run over nodes with Slurm job arrays (one task per shard), merged after.");
            slurm.AddCommand<SlurmSubmitCommand>("submit")
                .WithDescription("Write the job-array and merge scripts into the run folder and submit them with sbatch.")
                .WithExample("slurm", "submit", "--config", "run.yaml", "--shards", "8", "--partition", "gpu", "--time", "12:00:00");
            slurm.AddCommand<SlurmStatusCommand>("status")
                .WithDescription("Each shard's progress from its run folder, and its queue state.")
                .WithExample("slurm", "status", "results/runs/big");
            slurm.AddCommand<SlurmResubmitCommand>("resubmit")
                .WithDescription("Run a dead shard again; it resumes from its folder.")
                .WithExample("slurm", "resubmit", "results/runs/big", "--shard", "3");
        });
        config.AddCommand<ModelsCommand>("models")
            .WithDescription("List the models the configured endpoint serves.")
            .WithExample("models", "--config", "run.yaml");
        config.AddCommand<EvalCommand>("eval")
            .WithDescription("Judge candidate kernels against their KernelBench references.")
            .WithExample("eval", "--kernelbench", "../KernelBench", "--level", "1", "--problem", "19", "--candidate", "relu.py")
            .WithExample("eval", "--kernelbench", "../KernelBench", "--candidates", "samples/", "--out", "results/eval1");
        config.AddCommand<BaselineCommand>("baseline")
            .WithDescription("Time the references of a level and write KernelBench's baseline JSON.")
            .WithExample("baseline", "--kernelbench", "../KernelBench", "--level", "1", "--device", "cuda", "--out", "baseline_time_torch.json");
        config.AddCommand<Commands.Doctor.DoctorCommand>("doctor").WithDescription("What this machine's sandbox gives a candidate's process: each part in force, or why not.");
        config.AddCommand<GpusCommand>("gpus").WithDescription("List the GPUs (CUDA driver API and NVML), or say why there are none.");
        config.AddBranch("cache", cache =>
        {
            cache.SetDescription("Inspect or empty the content-addressed build cache.");
            cache.AddCommand<CacheInfoCommand>("info").WithDescription("Entries, size and newest build of the cache.");
            cache.AddCommand<CacheClearCommand>("clear").WithDescription("Remove every cached build.");
        });
        config.AddCommand<ReportCommand>("report")
            .WithDescription("Write CSV, Markdown and HTML reports of a run folder into RUN_DIR/report.")
            .WithExample("report", "results/run-1", "--p-values", "0,1,1.5,2");
        config.AddCommand<LeaderboardCommand>("leaderboard")
            .WithDescription("Rank runs per level into one CSV (--out) and/or a static site (--html DIR); runs on other problem sets, tolerances or GPUs are ranked apart.")
            .WithExample("leaderboard", "results/run-1", "results/run-2", "--out", "results/leaderboard.csv")
            .WithExample("leaderboard", "results/run-1", "results/run-2", "--html", "results/leaderboard-site");
    }

    /// <summary>Runs the app: 0 success, 1 the work failed, 2 bad usage or bad input, one message on stderr, no stack trace unless --verbose.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var verbose = args.Contains("--verbose");
        args = args.Where(a => a != "--verbose").ToArray();
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.Settings.Console = console;
            Configure(config);
        });
        try
        {
            return await app.RunAsync(args, cancellationToken);
        }
        catch (Exception e) when (e is CommandParseException or CommandRuntimeException or BadInputException)
        {
            ErrorOutput.Write(e.Message, verbose ? e : null);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ErrorOutput.Write("cancelled", null);
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            ErrorOutput.Write($"{e.GetType().Name}: {e.Message}", verbose ? e : null);
            return ExitCodes.Failed;
        }
    }
}
