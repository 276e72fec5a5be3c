using System.ComponentModel;
using System.Globalization;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Report;

/// <summary>`kbh report RUN_DIR`: CSVs, Markdown and HTML into RUN_DIR/report, and a short summary on the terminal.</summary>
public sealed class ReportCommand(IAnsiConsole console) : Command<ReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("A run folder written by `kbh eval` or `kbh run`, or a KernelBench run folder holding eval_results.json.")]
        public string RunDir { get; init; } = "";

        [CommandOption("-p|--p-values <LIST>")]
        [Description("fast_p thresholds, comma-separated.")]
        [DefaultValue("0,1,1.5,2")]
        public string P { get; init; } = "0,1,1.5,2";

        [CommandOption("--minute-step <MINUTES>")]
        [Description("Minutes between two points of the accuracy-against-budget curve.")]
        [DefaultValue(1.0)]
        public double MinuteStep { get; init; } = 1.0;

        [CommandOption("--level <N>")]
        [Description("For a KernelBench eval_results.json: its level, when no level_N_problem_* kernel files lie beside it.")]
        public int? Level { get; init; }

        [CommandOption("--baseline <FILE>")]
        [Description("For a KernelBench eval_results.json: KernelBench's baseline_time_torch.json, for the speedups.")]
        public string? Baseline { get; init; }

        [CommandOption("--samples <POLICY>")]
        [Description("For a KernelBench eval_results.json with several samples per problem: 0 (score sample 0, KernelBench's rule) or best (best of N, labelled so).")]
        [DefaultValue("0")]
        public string Samples { get; init; } = "0";

        [CommandOption("--atol <X>")]
        [Description("For a KernelBench eval_results.json: the absolute tolerance it was judged with (else read from its results, else unknown).")]
        public double? Atol { get; init; }

        [CommandOption("--rtol <X>")]
        [Description("For a KernelBench eval_results.json: the relative tolerance it was judged with.")]
        public double? Rtol { get; init; }

        [CommandOption("--precision <P>")]
        [Description("For a KernelBench eval_results.json: the precision it was judged in (fp32, fp16, bf16).")]
        public string? Precision { get; init; }

        [CommandOption("--compile-baseline <FILE>")]
        [Description("KernelBench's baseline_time_torch_compile_*.json measured on this run's GPU: fills problems.csv's torch.compile reference and speedup columns.")]
        public string? CompileBaseline { get; init; }

        public IReadOnlyList<double> PValues() => PList.Parse(P);

        public override ValidationResult Validate()
        {
            if (!PList.TryParse(P, out _, out var error))
                return ValidationResult.Error(error);
            if (Samples is not (KernelBench.Harness.Reports.KernelBenchImport.ImportOptions.SampleZero or KernelBench.Harness.Reports.KernelBenchImport.ImportOptions.BestOfN))
                return ValidationResult.Error($"--samples: '{Samples}' is neither 0 nor best.");
            return MinuteStep > 0 ? ValidationResult.Success() : ValidationResult.Error("--minute-step must be positive.");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new ReportOptions
        {
            PValues = settings.PValues(), MinuteStep = settings.MinuteStep,
            CompileBaseline = settings.CompileBaseline is { } file
                ? KernelBench.Harness.Reports.KernelBenchImport.Baseline.LoadAllLevels(file)
                : null,
        };
        var import = new KernelBench.Harness.Reports.KernelBenchImport.ImportOptions(settings.Level, settings.Baseline)
        {
            Samples = settings.Samples, Atol = settings.Atol, Rtol = settings.Rtol, Precision = settings.Precision,
        };
        var outcome = ReportGenerator.Generate(settings.RunDir, options, null, import);
        ReportConsole.Write(console, outcome);
        return outcome.Failures.Any() ? ExitCodes.Failed : ExitCodes.Success;
    }
}

/// <summary>Parses "0,1,1.5,2" (invariant culture) into distinct, ordered, non-negative thresholds.</summary>
public static class PList
{
    public static IReadOnlyList<double> Parse(string text) =>
        TryParse(text, out var values, out var error) ? values : throw new KernelBench.Harness.Problems.BadInputException(error);

    public static bool TryParse(string text, out IReadOnlyList<double> values, out string error)
    {
        var list = new List<double>();
        values = list;
        error = "";
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0 || !double.IsFinite(p))
            {
                error = $"--p-values: '{part}' is not a non-negative number (write e.g. --p-values 0,1,1.5,2).";
                return false;
            }
            list.Add(p);
        }
        if (list.Count == 0)
        {
            error = "--p-values needs at least one threshold.";
            return false;
        }
        values = list.Distinct().Order().ToList();
        return true;
    }
}
