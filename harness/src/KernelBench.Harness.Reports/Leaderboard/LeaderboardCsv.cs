using KernelBench.Harness.Reports.Model;
using static KernelBench.Harness.Reports.Csv.CsvCells;

namespace KernelBench.Harness.Reports.Leaderboard;

/// <summary>
/// The leaderboard CSV, in this column order: level, group (comparison group; rank only counts within it), rank, model,
/// strategy, budget, gpu, atol, rtol, precision, timing_method, correctness_trials, perf_trials, problem_set_hash,
/// problems, correct, correct_share, fast_1, fast_1_noise_aware, geomean_speedup, median_speedup, run_id, kind,
/// harness_version, partial, note (why a group is not comparable with group 1, and "partial run"), then the rest of the
/// comparison key: timing_order, baseline_source, sample_policy. Ranked by noise-aware fast_1 (see LeaderboardBuilder);
/// an empty fast_1 means not timed.
/// </summary>
public static class LeaderboardCsv
{
    public static readonly IReadOnlyList<string> Header =
    [
        "level", "group", "rank", "model", "strategy", "budget", "gpu", "atol", "rtol", "precision", "timing_method",
        "correctness_trials", "perf_trials", "problem_set_hash", "problems", "correct", "correct_share", "fast_1",
        "fast_1_noise_aware", "geomean_speedup", "median_speedup", "run_id", "kind", "harness_version", "partial", "note",
        "timing_order", "baseline_source", "sample_policy",
    ];

    public static void Write(string path, IReadOnlyList<LeaderboardRow> rows)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        WriteFile(path, Header, rows.Select(r => new[]
        {
            r.Level.LevelText, Int(r.Group), Int(r.Rank), r.Info.Model, r.Info.Strategy, r.Info.Budget, r.Info.Gpu,
            Number(r.Info.Atol), Number(r.Info.Rtol), r.Info.Precision, r.Info.TimingMethod, Int(r.Info.CorrectnessTrials),
            Int(r.Info.PerfTrials), r.Info.ProblemSetHash, Int(r.Level.Problems), Int(r.Level.Correct),
            Number(r.Level.CorrectShare), Number(r.Fast1), Number(r.Fast1NoiseAware), Number(r.Level.GeomeanSpeedup),
            Number(r.Level.MedianSpeedup), r.Info.RunId, r.Info.Kind, r.Info.HarnessVersion, r.Partial ? "true" : "false", r.Note,
            r.Info.TimingOrder, r.Info.BaselineSource, r.Info.SamplePolicy,
        }));
    }
}
