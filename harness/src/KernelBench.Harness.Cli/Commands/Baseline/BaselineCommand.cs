using KernelBench.Harness.Scoring.Validators;
using System.ComponentModel;
using KernelBench.Harness.Cli.Commands.Eval;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Baselines;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Timing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Baseline;

/// <summary>`kbh baseline`: times every reference of a level and writes KernelBench's baseline JSON.</summary>
public sealed class BaselineCommand(IAnsiConsole console) : AsyncCommand<BaselineCommand.Settings>
{
    public sealed class Settings : MeasureSettings
    {
        /// <summary>KernelBench's torch.compile baseline modes (the worker's kbh_load.COMPILE_MODES).</summary>
        public static readonly string[] CompileModes = ["default", "reduce-overhead", "max-autotune", "max-autotune-no-cudagraphs"];

        [CommandOption("--level <N>")]
        [Description("The level to time.")]
        public int Level { get; init; }

        [CommandOption("--problem <ID>")]
        [Description("Only this problem (repeatable).")]
        public int[] Problems { get; init; } = [];

        [CommandOption("--compile")]
        [Description("Time the references under torch.compile (inductor), as KernelBench's baseline_time_torch_compile_inductor_<mode>.json. Needs PyTorch 2.")]
        public bool Compile { get; init; }

        [CommandOption("--compile-mode <MODE>")]
        [Description("With --compile: default, reduce-overhead, max-autotune or max-autotune-no-cudagraphs.")]
        [DefaultValue("default")]
        public string CompileMode { get; init; } = "default";

        [CommandOption("--out <FILE>")]
        [Description("Baseline JSON to write (entries already there for other problems are kept).")]
        public string? Out { get; init; }

        public override ValidationResult Validate()
        {
            var result = base.Validate();
            if (!result.Successful)
                return result;
            if (Level < 1)
                return ValidationResult.Error("--level N is required.");
            if (!CompileModes.Contains(CompileMode))
                return ValidationResult.Error($"--compile-mode {CompileMode}: expected one of {string.Join(", ", CompileModes)}.");
            return string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out FILE is required.") : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var set = ProblemLoader.Load(settings.KernelBench!);
        var problems = set.Problems.Where(p => p.Level == settings.Level && (settings.Problems.Length == 0 || settings.Problems.Contains(p.Id))).ToList();
        if (problems.Count == 0)
            throw new BadInputException($"{settings.KernelBench}: no level {settings.Level} problems{(settings.Problems.Length > 0 ? " with those ids" : "")}.");
        var file = File.Exists(settings.Out) ? BaselineFile.Load(settings.Out!) : new BaselineFile();
        using var engine = new CandidateEngine(settings.ToEngineOptions(VersionInfo.Describe()), ScoringValidators.Default());
        var failures = 0;
        foreach (var problem in problems)
        {
            IReadOnlyList<double> times;
            string? error;
            try
            {
                (times, error) = await engine.MeasureReferenceAsync(problem, cancellationToken, settings.Compile ? settings.CompileMode : null);
            }
            catch (NotSupportedException e) // the worker cannot do it for any problem: say so once
            {
                throw new BadInputException($"--compile: {e.Message}.");
            }
            var summary = TimingStatistics.Summarize(times);
            if (error is not null || summary is null)
            {
                failures++;
                console.MarkupLine($"[red]failed[/] {Markup.Escape(problem.FileName)}: {Markup.Escape(error ?? "no times")}");
                continue;
            }
            var hardware = engine.Environment.GpuName is { Length: > 0 } gpu ? gpu : "cpu";
            file.Set(problem.Level, problem.FileName, new BaselineEntry(summary.MeanMs, summary.StdMs, summary.MinMs, summary.MaxMs, summary.Trials, hardware, settings.Device));
            file.Save(settings.Out!); // after each problem, so a killed run keeps what it measured
            console.MarkupLine($"{Markup.Escape(problem.FileName),-50} {summary.MeanMs:F4} ms");
        }
        return failures == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }
}
