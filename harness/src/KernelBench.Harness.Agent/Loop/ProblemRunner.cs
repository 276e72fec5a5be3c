using KernelBench.Harness.Agent.Budgets;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// Runs one problem's chains side by side until its budget is spent, a correct kernel reaches stop_at_speedup, or every
/// chain ends. Attempts of an earlier, interrupted run are taken as they are: their budget is charged, their chains
/// continue from the next index, and nothing is redone or counted twice. An attempt that run started judging and never
/// finished is finished first (<see cref="AttemptRunner.ResumeAsync"/>), whatever the budget or stop_at_speedup say:
/// it began within them.
/// </summary>
public sealed class ProblemRunner(LoopContext ctx, Problem problem, IReadOnlyList<AttemptRecord> earlier, IReadOnlyList<UnfinishedAttempt>? unfinished = null)
{
    private readonly ChainPlan _plan = ChainPlan.For(ctx.Config);
    private readonly IReadOnlyList<UnfinishedAttempt> _unfinished = unfinished ?? [];
    private readonly ProblemBudget _budget = new(ctx.Config.Budget, earlier, ChainPlan.For(ctx.Config).Chains, unfinished?.Select(u => u.Attempt.Chain));
    private readonly List<AttemptRecord> _all = [.. earlier];
    private readonly object _gate = new();
    private string? _stopReason;

    public async Task<ProblemOutcome> RunAsync(CancellationToken cancellationToken)
    {
        if (earlier.FirstOrDefault(ReachedTarget) is not null)
            _stopReason = "reached stop_at_speedup";
        else
            ctx.Verifier.Prepare(problem, cancellationToken); // the reference is measured while the model thinks
        var chains = Enumerable.Range(0, _plan.Chains).Select(c => RunChainAsync(c, cancellationToken));
        var ends = await Task.WhenAll(chains);
        return new ProblemOutcome(problem.Key, _all.Count, Best(), _stopReason ?? ends.FirstOrDefault(e => e is not null) ?? "done");
    }

    private async Task<string?> RunChainAsync(int chain, CancellationToken cancellationToken)
    {
        var history = _all.Where(a => a.Chain == chain).OrderBy(a => a.Index).ToList();
        var initial = ctx.Prompts.RenderInitial(problem, KernelBench.Harness.Core.Settings.SettingInfo.Format(ctx.Config.Eval.Backend), ctx.Config.Device);
        foreach (var left in _unfinished.Where(u => u.Attempt.Chain == chain).OrderBy(u => u.Attempt.Index))
            Keep(await AttemptRunner.ResumeAsync(ctx, problem, left, cancellationToken), history);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_stopReason is { } stop)
                return stop;
            if (_budget.TryReserve(chain) is { } limit)
                return limit;
            var last = history.LastOrDefault();
            var index = last is null ? 0 : last.Index + 1;
            var answered = history.LastOrDefault(a => a.Response is not null);
            var record = await AttemptRunner.RunAsync(ctx, problem, chain, index, Messages(initial, answered), cancellationToken);
            if (record is null)
            {
                _budget.Release(chain);
                return "no more recorded answers";
            }
            record = Keep(record, history);
            if (record.Status == "model_error")
                return "model error: " + record.Error; // this chain waits for a resume rather than burning its budget on a failing endpoint
        }
    }

    // Charges a finished attempt, stores it (flushed) and adds it to its chain's history.
    private AttemptRecord Keep(AttemptRecord record, List<AttemptRecord> history)
    {
        var clock = _budget.Charge(record.Chain, record.ChargedSeconds, record.CompletionTokens ?? 0);
        record = record with { BudgetSecondsAtEnd = Math.Round(clock, 3) };
        ctx.Store.Append(record);
        ctx.OnAttempt?.Invoke(record);
        history.Add(record);
        lock (_gate)
        {
            _all.Add(record);
            if (ReachedTarget(record))
                _stopReason = "reached stop_at_speedup";
        }
        return record;
    }

    /// <summary>The conversation for the next attempt: the task, then (when refining) the last answer without its reasoning and its feedback.</summary>
    private List<ChatTurn> Messages(string initial, AttemptRecord? last)
    {
        if (!_plan.Refine || last is null || last.Response is null)
            return [ChatTurn.User(initial)];
        var feedback = FeedbackBuilder.Build(last, BestCorrect());
        // Some servers refuse an empty assistant turn (an answer that was all reasoning).
        var answer = string.IsNullOrWhiteSpace(last.Response) ? "(no answer: the output held only reasoning)" : last.Response;
        return [ChatTurn.User(initial), ChatTurn.Assistant(answer), ChatTurn.User(ctx.Prompts.RenderFeedback(problem, last.Index + 1, feedback, ctx.Config.Device))];
    }

    private bool ReachedTarget(AttemptRecord a) =>
        ctx.Config.StopAtSpeedup is { } target && a.Verdict is { Status: VerdictStatus.Correct } v && (v.Speedup ?? 0) >= target;

    private AttemptRecord? BestCorrect()
    {
        lock (_gate)
            return _all.Where(a => a.Verdict?.Status == VerdictStatus.Correct).OrderByDescending(a => a.Verdict!.Speedup ?? 0).ThenBy(a => a.EndedAt).FirstOrDefault();
    }

    private AttemptRecord? Best()
    {
        lock (_gate)
            return BestCorrect() ?? _all.LastOrDefault();
    }
}
