using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Csv.CsvCells;

namespace KernelBench.Harness.Reports.Csv;

/// <summary>
/// summary.csv, one row per level and a last row "all", columns in this order:
/// level, problems, attempted, correct, correct_share; for each p (in the order asked): fast_{p} (share, correct and point
/// speedup &gt; p, KernelBench's definition) and fast_{p}_noise_aware (share, correct and speedup lower 95% bound &gt; p; an
/// empty cell means "not timed": correct problems exist but none has a speedup); speedup_count, geomean_speedup,
/// median_speedup (over correct problems with a speedup); compiled and compiled_share (the scored attempt got past the
/// build); track ("all_correct", then every level again as "real_kernels": correct answers flagged pytorch_only or
/// pytorch_wrap count as failures); then the run's settings: run_id, kind, model, strategy, budget, gpu, timing_method,
/// atol, rtol, precision, correctness_trials, perf_trials, problem_set_hash, harness_version, timing_order,
/// baseline_source (where the reference times came from), sample_policy (which attempt of a problem is scored),
/// partial (true when the run folder was incomplete).
/// </summary>
public sealed class SummaryCsvExporter : IReportExporter
{
    public const string FileName = "summary.csv";
    public const string AllTrack = "all_correct";
    public const string KernelTrack = "real_kernels";

    public string Name => "summary.csv";

    public static IReadOnlyList<string> Header(IReadOnlyList<double> pValues) =>
    [
        "level", "problems", "attempted", "correct", "correct_share",
        .. pValues.SelectMany(p => new[] { $"fast_{P(p)}", $"fast_{P(p)}_noise_aware" }),
        "speedup_count", "geomean_speedup", "median_speedup",
        "compiled", "compiled_share", "track",
        .. RunColumns,
    ];

    public static readonly IReadOnlyList<string> RunColumns =
    [
        "run_id", "kind", "model", "strategy", "budget", "gpu", "timing_method", "atol", "rtol", "precision",
        "correctness_trials", "perf_trials", "problem_set_hash", "harness_version", "timing_order", "baseline_source", "sample_policy", "partial",
    ];

    public static IEnumerable<string> RunCells(RunInfo i, bool partial) =>
    [
        i.RunId, i.Kind, i.Model, i.Strategy, i.Budget, i.Gpu, i.TimingMethod, Number(i.Atol), Number(i.Rtol), i.Precision,
        Int(i.CorrectnessTrials), Int(i.PerfTrials), i.ProblemSetHash, i.HarnessVersion, i.TimingOrder, i.BaselineSource, i.SamplePolicy, partial ? "true" : "false",
    ];

    public IReadOnlyList<string> Export(ReportModel model, string reportFolder)
    {
        var path = Path.Combine(reportFolder, FileName);
        var tracks = model.Levels.Select(l => (Track: AllTrack, Level: l)).Concat(model.KernelLevels.Select(l => (Track: KernelTrack, Level: l)));
        WriteFile(path, Header(model.Options.PValues), tracks.Select(t => Row(model, t.Level, t.Track)));
        return [path];
    }

    private static IEnumerable<string> Row(ReportModel model, LevelSummary l, string track) =>
        [
            l.LevelText, Int(l.Problems), Int(l.Attempted), Int(l.Correct), Number(l.CorrectShare),
            .. l.FastP.SelectMany(f => new[] { Number(f.Share), Number(f.NoiseAwareShare) }),
            Int(l.SpeedupCount), Number(l.GeomeanSpeedup), Number(l.MedianSpeedup),
            Int(l.Compiled), Number(l.CompiledShare), track,
            .. RunCells(model.Info, model.Run.IsPartial),
        ];
}
