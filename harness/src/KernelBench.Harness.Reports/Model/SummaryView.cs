using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Model;

/// <summary>The summary tables as text, shared by the Markdown and HTML reports: two tracks, the settings and the legend.</summary>
public static class SummaryView
{
    public const string AllTrack = "All correct answers";
    public const string KernelTrack = "Real kernels only (correct answers flagged pytorch_only or pytorch_wrap count as failures)";

    public static IEnumerable<(string Title, IReadOnlyList<LevelSummary> Levels)> Tracks(ReportModel m) =>
        [(AllTrack, m.Levels), (KernelTrack, m.KernelLevels)];

    public static IReadOnlyList<string> Header(ReportModel m) =>
    [
        "Level", "Problems", "Compiled", "Correct", .. m.Options.PValues.Select(p => $"fast_{Num(p)} (point / noise-aware)"),
        "Geomean speedup", "Median speedup",
    ];

    public static IEnumerable<IReadOnlyList<string>> Rows(IEnumerable<LevelSummary> levels) => levels.Select(l => (IReadOnlyList<string>)
    [
        l.LevelText, l.Problems.ToString(), $"{l.Compiled} ({Percent(l.CompiledShare)})", $"{l.Correct} ({Percent(l.CorrectShare)})",
        .. l.FastP.Select(f => $"{Share(f.Share)} / {Share(f.NoiseAwareShare)}"),
        Speedup(l.GeomeanSpeedup), Speedup(l.MedianSpeedup),
    ]);

    /// <summary>Every flag any attempt of the run carries (not only the scored ones), with its meaning.</summary>
    public static IReadOnlyList<(string Flag, string Meaning)> Legend(ReportModel m) =>
        FlagLegend.For(m.Run.Attempts.SelectMany(a => a.Verdict?.Flags ?? []));

    public static IEnumerable<KeyValuePair<string, string>> Settings(RunInfo i) =>
    [
        new("Run", $"{i.RunId} ({i.Kind})"),
        new("Model", i.Model),
        new("Strategy", i.Strategy),
        new("Budget per problem", i.Budget),
        new("GPU", Known(i.Gpu)),
        new("Timing", Known(i.TimingMethod) + (i.TimingOrder.Length > 0 && !i.TimingMethod.Contains(i.TimingOrder) ? $" ({i.TimingOrder})" : "")),
        new("Reference times", Known(i.BaselineSource)),
        new("Scored", i.SamplePolicy == RunInfo.BestAttempt ? "best attempt of each problem" : Known(i.SamplePolicy)),
        new("Tolerance", i.Atol is null && i.Rtol is null ? "unknown" : $"atol {Sci(i.Atol)}, rtol {Sci(i.Rtol)}"),
        new("Precision", Known(i.Precision)),
        new("Trials", $"{i.CorrectnessTrials?.ToString() ?? "–"} correctness, {i.PerfTrials?.ToString() ?? "–"} timing"),
        new("Problem set", Known(i.ProblemSetHash)),
        new("Harness", i.HarnessVersion),
    ];

    private static string Known(string text) => text.Length > 0 ? text : "unknown";
}
