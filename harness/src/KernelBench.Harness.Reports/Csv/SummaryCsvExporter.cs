using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Csv.CsvCells;

namespace KernelBench.Harness.Reports.Csv;

/// <summary>
/// summary.csv, one row per level and a last row "all", columns in this order:
/// level, problems, attempted, correct, correct_share; for each p (in the order asked): fast_{p} (share, correct and point
/// speedup &gt; p, KernelBench's definition) and fast_{p}_noise_aware (share, correct and speedup lower 95% bound &gt; p);
/// speedup_count, geomean_speedup, median_speedup (over correct problems with a speedup); then the run's settings:
/// run_id, kind, model, strategy, budget, gpu, timing_method, atol, rtol, precision, correctness_trials, perf_trials,
/// problem_set_hash, harness_version, partial (true when the run folder was incomplete).
/// </summary>
public sealed class SummaryCsvExporter : IReportExporter
{
    public const string FileName = "summary.csv";

    public string Name => "summary.csv";

    public static IReadOnlyList<string> Header(IReadOnlyList<double> pValues) =>
    [
        "level", "problems", "attempted", "correct", "correct_share",
        .. pValues.SelectMany(p => new[] { $"fast_{P(p)}", $"fast_{P(p)}_noise_aware" }),
        "speedup_count", "geomean_speedup", "median_speedup",
        .. RunColumns,
    ];

    public static readonly IReadOnlyList<string> RunColumns =
    [
        "run_id", "kind", "model", "strategy", "budget", "gpu", "timing_method", "atol", "rtol", "precision",
        "correctness_trials", "perf_trials", "problem_set_hash", "harness_version", "partial",
    ];

    public static IEnumerable<string> RunCells(RunInfo i, bool partial) =>
    [
        i.RunId, i.Kind, i.Model, i.Strategy, i.Budget, i.Gpu, i.TimingMethod, Number(i.Atol), Number(i.Rtol), i.Precision,
        Int(i.CorrectnessTrials), Int(i.PerfTrials), i.ProblemSetHash, i.HarnessVersion, partial ? "true" : "false",
    ];

    public IReadOnlyList<string> Export(ReportModel model, string reportFolder)
    {
        var path = Path.Combine(reportFolder, FileName);
        WriteFile(path, Header(model.Options.PValues), model.Levels.Select(l => (IEnumerable<string>)
        [
            l.LevelText, Int(l.Problems), Int(l.Attempted), Int(l.Correct), Number(l.CorrectShare),
            .. l.FastP.SelectMany(f => new[] { Number(f.Share), Number(f.NoiseAwareShare) }),
            Int(l.SpeedupCount), Number(l.GeomeanSpeedup), Number(l.MedianSpeedup),
            .. RunCells(model.Info, model.Run.IsPartial),
        ]));
        return [path];
    }
}
