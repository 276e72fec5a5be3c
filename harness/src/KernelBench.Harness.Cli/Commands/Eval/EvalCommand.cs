using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Scoring.Devices;
using System.ComponentModel;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Engine;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>`kbh eval`: judge one candidate file, or every candidate in a folder into a run folder.</summary>
public sealed class EvalCommand(IAnsiConsole console) : AsyncCommand<EvalCommand.Settings>
{
    public sealed class Settings : MeasureSettings
    {
        [CommandOption("--level <N>")]
        [Description("Level of the problem (one candidate).")]
        public int Level { get; init; }

        [CommandOption("--problem <ID>")]
        [Description("Id of the problem (one candidate).")]
        public int Problem { get; init; }

        [CommandOption("--candidate <FILE>")]
        [Description("One candidate source defining ModelNew.")]
        public string? Candidate { get; init; }

        [CommandOption("--candidates <DIR>")]
        [Description("A folder of candidates: level<N>/<id>.py or KernelBench's level_<L>_problem_<P>_sample_<S>_kernel.py.")]
        public string? Candidates { get; init; }

        [CommandOption("--out <RUN_DIR>")]
        [Description("Run folder for --candidates: each verdict is appended as it lands; a rerun skips judged candidates. Default: results/runs/eval-<candidates folder name>.")]
        public string? Out { get; init; }

        /// <summary>The run folder: --out, else results/runs/eval-&lt;name of the candidates folder&gt; under the current directory.</summary>
        public string RunFolder => Out ?? Path.GetFullPath(Path.Combine("results", "runs",
            "eval-" + Path.GetFileName(Path.GetFullPath(Candidates!).TrimEnd(Path.DirectorySeparatorChar))));

        [CommandOption("--shard <I/N>")]
        [Description("With --candidates: judge only the candidates of shard I of N's problems (balanced by level) into RUN_DIR/shard-I-of-N; join with `kbh merge`.")]
        public string? Shard { get; init; }

        [CommandOption("--gpus <LIST>")]
        [Description("With --candidates: the GPU ordinals to judge on, e.g. 0,1 (an ordinal listed twice gets two workers). Default with --device cuda: every visible GPU.")]
        public string? Gpus { get; init; }

        /// <summary>--workers, or its default for the device.</summary>
        public int EffectiveWorkers => CheckLanes.DefaultWorkers(Options.Workers, Device);

        [CommandOption("--format <FORMAT>")]
        [Description("table or json (one JSON object per verdict).")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";

        [CommandOption("--baseline <FILE>")]
        [Description("KernelBench baseline JSON to compute speedups against instead of the live reference.")]
        public string? Baseline { get; init; }

        [CommandOption("--compare-baseline <FILE>")]
        [Description("A further KernelBench baseline JSON (e.g. a torch.compile one: kbh baseline --compile) each correct verdict also gets a speedup against, in baseline_speedups under the file's name. Repeatable.")]
        public string[] CompareBaselines { get; init; } = [];

        public override ValidationResult Validate()
        {
            var result = base.Validate();
            if (!result.Successful)
                return result;
            if (Format is not ("table" or "json"))
                return ValidationResult.Error($"--format {Format}: expected table or json.");
            if (Candidate is null == (Candidates is null))
                return ValidationResult.Error("give either --candidate FILE (with --level and --problem) or --candidates DIR (results into --out RUN_DIR).");
            if (Candidate is not null && (Level < 1 || Problem < 1))
                return ValidationResult.Error("--candidate needs --level N and --problem ID.");
            if (Shard is not null && Candidates is null)
                return ValidationResult.Error("--shard goes with --candidates DIR.");
            if ((Gpus is not null || Options.Workers is not null) && Candidates is null)
                return ValidationResult.Error("--gpus and --workers go with --candidates DIR.");
            if (Options.BuildWorkers is not null && Candidates is null)
                return ValidationResult.Error("--build-workers goes with --candidates DIR.");
            if (Gpus is not null && !Device.StartsWith("cuda", StringComparison.Ordinal))
                return ValidationResult.Error($"--gpus needs --device cuda (got --device {Device}).");
            if (Gpus is not null && EvalLanes.ParseGpus(Gpus) is null)
                return ValidationResult.Error($"--gpus {Gpus}: expected GPU ordinals separated by commas, e.g. 0,1.");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var timeline = new RunTimeline();
        var options = settings.ToEngineOptions(VersionInfo.Describe());
        if (settings.Baseline is not null)
            options = options with { Baseline = KernelBench.Harness.Scoring.Baselines.BaselineFile.Load(settings.Baseline) };
        if (settings.CompareBaselines.Length > 0)
            options = options with { ComparisonBaselines = settings.CompareBaselines.Select(KernelBench.Harness.Scoring.Baselines.ComparisonBaseline.Load).ToList() };
        if (settings.Candidates is not null)
        {
            int exit;
            string? folder;
            using (var verifier = EvalLanes.Create(settings, options))
            await using (new WorkerWarmUp(verifier, timeline, cancellationToken)) // while the problems load and the run folder opens
            {
                var batch = new EvalBatch(console, LoadProblems(settings, timeline), settings, timeline);
                exit = await batch.RunAsync(verifier, cancellationToken);
                folder = batch.Folder;
            }
            timeline.Mark("workers_stopped");
            if (folder is not null)
                timeline.Write(folder);
            return exit;
        }

        using var engine = new CandidateEngine(options, ScoringValidators.Default());
        await using var warmUp = new WorkerWarmUp(engine, timeline, cancellationToken);
        var problem = LoadProblems(settings, timeline).Find(settings.Level, settings.Problem)
            ?? throw new BadInputException($"{settings.KernelBench}: no problem with level {settings.Level} and id {settings.Problem}.");
        var source = CandidateSource.Read(settings.Candidate!);
        var verdict = await engine.VerifyAsync(problem, source, cancellationToken);
        if (settings.Format == "json")
            console.Profile.Out.Writer.WriteLine(VerdictOutput.Json(verdict, settings.Candidate!));
        else
            VerdictOutput.Grid(console, verdict, settings.Candidate!);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Starts the check workers in the background (marked workers_ready in the timeline when they all are). Disposing it
    /// stops a start still in progress (a run that failed early) and waits for it, so no worker is disposed mid-start.
    /// </summary>
    private sealed class WorkerWarmUp : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel;
        private readonly Task _started;

        public WorkerWarmUp(IPreparingVerifier verifier, RunTimeline timeline, CancellationToken ct)
        {
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _started = StartAsync(verifier, timeline, _cancel.Token);
        }

        private static async Task StartAsync(IPreparingVerifier verifier, RunTimeline timeline, CancellationToken ct)
        {
            try
            {
                await verifier.WarmUpAsync(ct);
                timeline.Mark("workers_ready");
            }
            catch (OperationCanceledException)
            {
                // the run ended (or failed) before every worker had started
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _cancel.CancelAsync();
            await _started;
            _cancel.Dispose();
        }
    }

    private static ProblemSet LoadProblems(Settings settings, RunTimeline timeline)
    {
        var set = ProblemLoader.Load(settings.KernelBench!);
        timeline.Mark("problems_loaded");
        return set;
    }
}
