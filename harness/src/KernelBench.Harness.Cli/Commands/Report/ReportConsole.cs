using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Model;
using Spectre.Console;

namespace KernelBench.Harness.Cli.Commands.Report;

/// <summary>The terminal side of a report: a short per-level table, any partial-input warnings, failed exporters, the path.</summary>
public static class ReportConsole
{
    public static void Write(IAnsiConsole console, ReportOutcome outcome)
    {
        var model = outcome.Model;
        foreach (var problem in model.Run.Problems)
            console.MarkupLine($"[yellow]partial:[/] {Markup.Escape(problem)}");
        foreach (var warning in model.Warnings)
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        foreach (var note in model.Run.Notes)
            console.MarkupLine($"[grey]note:[/] {Markup.Escape(note)}");
        var fast1 = model.Options.PValues.Contains(1.0) ? 1.0 : model.Options.PValues[^1];
        var table = new Table().Title(Markup.Escape($"{model.Info.RunId} · {model.Info.Model} · {model.Info.Gpu}"))
            .AddColumns("Level", "Problems", "Compiled", "Correct", $"fast_{Format.Num(fast1)}", $"fast_{Format.Num(fast1)} (noise-aware)", "Geomean speedup");
        foreach (var l in model.Levels)
        {
            var f = l.At(fast1);
            table.AddRow(l.LevelText, l.Problems.ToString(), $"{l.Compiled} ({Format.Percent(l.CompiledShare)})", $"{l.Correct} ({Format.Percent(l.CorrectShare)})",
                f is null ? "–" : Format.Share(f.Share), f is null ? "–" : Format.Share(f.NoiseAwareShare),
                Format.Speedup(l.GeomeanSpeedup));
        }
        console.Write(table);
        var kernels = model.KernelLevels.Count > 0 ? model.KernelLevels[^1] : null;
        if (kernels is not null && kernels.Correct != model.Overall.Correct)
            console.MarkupLine($"Real kernels only: {kernels.Correct} correct ({Format.Percent(kernels.CorrectShare)}), " +
                               $"fast_{Format.Num(fast1)} {Format.Share(kernels.At(fast1)?.Share)} (pytorch_only/pytorch_wrap answers not counted)");
        foreach (var failure in outcome.Failures)
            console.MarkupLine($"[red]exporter failed:[/] {Markup.Escape(failure.Exporter)}: {Markup.Escape(failure.Error ?? "")}");
        var partial = model.Run.IsPartial ? " [yellow](partial)[/]" : "";
        console.MarkupLine($"Report{partial}: [bold]{Markup.Escape(outcome.ReportFolder)}[/]");
        var html = outcome.Exports.FirstOrDefault(e => e.Succeeded && e.Files.Any(f => f.EndsWith(".html", StringComparison.Ordinal)));
        if (html is not null)
            console.MarkupLine($"Open: [link]{Markup.Escape(html.Files[0])}[/]");
    }
}
