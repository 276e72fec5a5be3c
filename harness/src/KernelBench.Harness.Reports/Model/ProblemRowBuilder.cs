namespace KernelBench.Harness.Reports.Model;

/// <summary>Reduces a run's attempts to one <see cref="ProblemRow"/> per problem.</summary>
public static class ProblemRowBuilder
{
    // When nothing is correct, the best attempt is the one that got furthest through compile → run → check.
    private static readonly string[] FailureRank =
        ["incorrect", "timeout", "runtime_error", "rejected", "compile_error", "harness_interrupted", "model_error", "no_code", "bad_input"];

    public static IReadOnlyList<ProblemRow> Build(RunData run, ReportOptions? options = null)
    {
        var byKey = run.Attempts.GroupBy(a => new ProblemKey(a.Level, a.ProblemId)).ToDictionary(g => g.Key, g => g.ToList());
        var rows = run.ProblemKeys().Select(key => byKey.TryGetValue(key, out var list) ? Row(key, list) : Missing(key, run));
        return rows.Select(r => WithCompileBaseline(r, options?.CompileBaseline)).ToList();
    }

    private static ProblemRow WithCompileBaseline(ProblemRow row, IReadOnlyDictionary<ProblemKey, Scoring.Timing.TimingSummary>? baseline)
    {
        if (baseline is null || !baseline.TryGetValue(row.Key, out var compiled))
            return row;
        var speedup = row.IsCorrect && row.BestRuntimeMs is > 0 ? compiled.MeanMs / row.BestRuntimeMs : null;
        return row with { RefRuntimeCompileMs = compiled.MeanMs, SpeedupCompile = speedup };
    }

    private static ProblemRow Missing(ProblemKey key, RunData run) =>
        new() { Key = key, BestStatus = "not_attempted", Name = run.ProblemNames.GetValueOrDefault(key, "") };

    private static ProblemRow Row(ProblemKey key, List<Store.AttemptRecord> attempts)
    {
        var timeline = TimedAttempt.Timeline(attempts);
        var correct = timeline.Where(t => t.IsCorrect).ToList();
        var firstCorrect = correct.FirstOrDefault();
        var best = correct.Count > 0
            ? correct.OrderByDescending(t => t.Speedup ?? 0).ThenBy(t => t.AttemptNumber).First()
            : timeline.OrderBy(t => Rank(t.Record.Status)).ThenBy(t => t.AttemptNumber).First();
        var verdict = best.Record.Verdict;
        var named = attempts.FirstOrDefault(a => a.ProblemName.Length > 0) ?? attempts[0];
        return new ProblemRow
        {
            Key = key,
            Name = named.ProblemName,
            Sha256 = named.ProblemSha256,
            BestStatus = best.Record.Status,
            Attempts = attempts.Count,
            SecondsToFirstCorrect = firstCorrect?.BudgetSeconds,
            AttemptsToFirstCorrect = firstCorrect?.AttemptNumber,
            BestRuntimeMs = verdict?.Runtime?.MeanMs,
            RefRuntimeMs = verdict?.RefRuntime?.MeanMs,
            Speedup = best.IsCorrect ? best.Speedup : null,
            SpeedupLower = correct.Select(t => t.SpeedupLower).Max(),
            Flags = verdict?.Flags ?? [],
            Best = best,
            Timeline = timeline,
        };
    }

    private static int Rank(string status)
    {
        var i = Array.IndexOf(FailureRank, status);
        return i < 0 ? FailureRank.Length : i;
    }
}
