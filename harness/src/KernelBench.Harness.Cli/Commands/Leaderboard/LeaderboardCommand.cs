using System.ComponentModel;
using KernelBench.Harness.Cli.Infrastructure;
using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Leaderboard;
using KernelBench.Harness.Reports.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace KernelBench.Harness.Cli.Commands.Leaderboard;

/// <summary>
/// `kbh leaderboard RUN_DIR... --out FILE.csv [--html DIR]`: one row per run and level; incomparable runs ranked apart.
/// --html writes a publishable folder: DIR/index.html and every run's report under DIR/runs/.
/// </summary>
public sealed class LeaderboardCommand(IAnsiConsole console) : Command<LeaderboardCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("Run folders (or KernelBench run folders with eval_results.json).")]
        public string[] RunDirs { get; init; } = [];

        [CommandOption("-o|--out <FILE>")]
        [Description("The leaderboard CSV to write.")]
        public string? Out { get; init; }

        [CommandOption("--html <DIR>")]
        [Description("Also write a static site: DIR/index.html (sortable, one table per comparison group) and each run's report under DIR/runs/.")]
        public string? Html { get; init; }

        [CommandOption("--level <N>")]
        [Description("For KernelBench eval_results.json inputs: their level, when no level_N_problem_* kernel files lie beside them.")]
        public int? Level { get; init; }

        [CommandOption("--baseline <FILE>")]
        [Description("For KernelBench eval_results.json inputs: KernelBench's baseline_time_torch.json, for the speedups.")]
        public string? Baseline { get; init; }

        [CommandOption("--samples <POLICY>")]
        [Description("For KernelBench eval_results.json inputs: 0 (sample 0, KernelBench's rule) or best (best of N).")]
        [DefaultValue("0")]
        public string Samples { get; init; } = "0";

        [CommandOption("--atol <X>")]
        [Description("For KernelBench eval_results.json inputs: the absolute tolerance they were judged with.")]
        public double? Atol { get; init; }

        [CommandOption("--rtol <X>")]
        [Description("For KernelBench eval_results.json inputs: the relative tolerance they were judged with.")]
        public double? Rtol { get; init; }

        [CommandOption("--precision <P>")]
        [Description("For KernelBench eval_results.json inputs: the precision they were judged in.")]
        public string? Precision { get; init; }

        public override ValidationResult Validate() =>
            Samples is not ("0" or "best") ? ValidationResult.Error($"--samples: '{Samples}' is neither 0 nor best.") :
            string.IsNullOrWhiteSpace(Out) && string.IsNullOrWhiteSpace(Html) ? ValidationResult.Error("--out FILE.csv or --html DIR is required.") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var import = new KernelBench.Harness.Reports.KernelBenchImport.ImportOptions(settings.Level, settings.Baseline)
        {
            Samples = settings.Samples, Atol = settings.Atol, Rtol = settings.Rtol, Precision = settings.Precision,
        };
        var models = settings.RunDirs.Select(d => ReportModel.Compute(RunSources.Read(d, import), LeaderboardBuilder.Options)).ToList();
        foreach (var m in models.Where(m => m.Run.IsPartial))
            console.MarkupLine($"[yellow]partial:[/] {Markup.Escape(m.Run.Folder)}: {Markup.Escape(string.Join("; ", m.Run.Problems))}");
        foreach (var m in models)
            foreach (var warning in m.Warnings)
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(m.Info.RunId)}: {Markup.Escape(warning)}");
        var rows = LeaderboardBuilder.Build(models);
        if (!string.IsNullOrWhiteSpace(settings.Out))
            LeaderboardCsv.Write(settings.Out, rows);
        var table = new Table().AddColumns("Level", "Group", "Rank", "Model", "Budget", "GPU", "Correct", "fast_1 noise-aware", "fast_1", "Geomean");
        foreach (var r in rows)
            table.AddRow(r.Level.LevelText, r.Group.ToString(), r.Rank + (r.Partial ? " (partial)" : ""), Markup.Escape(r.Info.Model), Markup.Escape(r.Info.Budget),
                Markup.Escape(r.Info.Gpu), Format.Percent(r.Level.CorrectShare), Format.Share(r.Fast1NoiseAware), Format.Share(r.Fast1),
                Format.Speedup(r.Level.GeomeanSpeedup));
        console.Write(table);
        foreach (var note in rows.Where(r => r.Note.Length > 0 && r.Rank == 1 && r.Group > 1).Select(r => $"level {r.Level.LevelText}, group {r.Group}: {r.Note}")
                     .Concat(rows.Where(r => r.Partial).Select(r => $"level {r.Level.LevelText}: {r.Info.RunId} is a partial run, ranked after the complete ones")))
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        if (!string.IsNullOrWhiteSpace(settings.Out))
            console.MarkupLine($"Leaderboard: [bold]{Markup.Escape(settings.Out)}[/] ({rows.Count} rows)");
        if (!string.IsNullOrWhiteSpace(settings.Html))
        {
            var (index, reports) = LeaderboardSite.Write(settings.Html, models, rows);
            foreach (var failure in reports.SelectMany(r => r.Failures.Select(f => (r.ReportFolder, f))))
                console.MarkupLine($"[red]report failed:[/] {Markup.Escape(failure.ReportFolder)}: {Markup.Escape(failure.f.Exporter)}: {Markup.Escape(failure.f.Error ?? "")}");
            console.MarkupLine($"Leaderboard site: [bold]{Markup.Escape(index)}[/] ({models.Count} run reports)");
        }
        return ExitCodes.Success;
    }
}
