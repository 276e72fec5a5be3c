using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// One attempt: ask the model, extract the ModelNew code, have it judged, and describe it all as an
/// <see cref="AttemptRecord"/>. Rate-limit and backoff waits and the verifier queue are recorded as wait, not charged.
/// Returns null only when a replayed run has no answer here.
/// </summary>
public static class AttemptRunner
{
    public static async Task<AttemptRecord?> RunAsync(LoopContext ctx, Problem problem, int chain, int index,
        IReadOnlyList<ChatTurn> messages, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var record = new AttemptRecord
        {
            ProblemKey = problem.Key, Level = problem.Level, ProblemId = problem.Id, ProblemName = problem.Name,
            ProblemSha256 = problem.Sha256, Chain = chain, Index = index, Status = "model_error", StartedAt = started,
            Source = "model", Prompt = messages[^1].Content,
        };
        ModelReply reply;
        try
        {
            reply = await ctx.Model.CompleteAsync(new ModelRequest(problem.Key, chain, index, messages), cancellationToken);
        }
        catch (ReplayExhaustedException)
        {
            return null;
        }
        catch (ModelCallException e)
        {
            return Finish(record with { Error = e.Message, Retries = e.Retries, RetryLog = e.RetryLog, Model = ctx.Config.Model.Name }, clock, e.WaitSeconds);
        }
        record = record with
        {
            Response = reply.Answer, Reasoning = reply.Reasoning, PromptTokens = reply.PromptTokens, CompletionTokens = reply.CompletionTokens,
            Retries = reply.Retries, RetryLog = reply.RetryLog.Count > 0 ? reply.RetryLog : null, Model = reply.Model,
            FinishReason = reply.FinishReason,
        };
        var code = CodeExtractor.Extract(reply.Answer);
        if (code is null)
            return Finish(record with { Status = "no_code" }, clock, reply.WaitSeconds);
        var asked = Finish(record with { Status = "started", Code = code, CodeSha256 = Sha256(code) }, clock, reply.WaitSeconds);
        return await JudgeAsync(ctx, problem, asked, cancellationToken);
    }

    /// <summary>
    /// An attempt the harness died judging (<see cref="StartLog.Unfinished"/>): judged again once, since the crash may
    /// have been the harness's own; after a second death it is recorded as harness_interrupted and the run goes past it.
    /// </summary>
    public static async Task<AttemptRecord> ResumeAsync(LoopContext ctx, Problem problem, UnfinishedAttempt unfinished, CancellationToken cancellationToken)
    {
        if (unfinished.Starts < MaxStarts)
            return await JudgeAsync(ctx, problem, unfinished.Attempt, cancellationToken);
        var a = unfinished.Attempt;
        var times = string.Join(" and ", unfinished.StartedAt.Select(t => t.ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
        var verdict = new Verdict
        {
            Status = VerdictStatus.HarnessInterrupted, Level = problem.Level, ProblemId = problem.Id, ProblemName = problem.Name,
            ProblemSha256 = problem.Sha256, CandidateSha256 = a.CodeSha256 ?? "",
            Reason = $"the harness was killed each of the {unfinished.Starts} times it judged this candidate (judging started {times}; " +
                     "no verdict either time), so it was not judged again: a candidate that crashes or exhausts the machine does this",
        };
        return a with { Status = StatusName(verdict.Status), Verdict = verdict, EndedAt = DateTimeOffset.UtcNow };
    }

    /// <summary>How many judging starts without a verdict an attempt gets before it is recorded as harness_interrupted.</summary>
    public const int MaxStarts = 2;

    // The start is on disk before the verifier sees the candidate; a clean stop (Ctrl-C, a scheduler's SIGTERM) says so,
    // so only deaths count towards harness_interrupted.
    private static async Task<AttemptRecord> JudgeAsync(LoopContext ctx, Problem problem, AttemptRecord asked, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = false;
        Verdict verdict;
        double queued;
        try
        {
            (verdict, queued, _) = await ctx.Verifier.VerifyAsync(problem, asked.Code!, () =>
            {
                ctx.Store.MarkStarted(StartedRecord.Of(asked));
                started = true;
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && started)
        {
            ctx.Store.MarkStarted(StartedRecord.CancelOf(asked));
            throw;
        }
        var total = clock.Elapsed.TotalSeconds;
        return asked with
        {
            Status = StatusName(verdict.Status), Verdict = verdict, EndedAt = DateTimeOffset.UtcNow,
            WaitSeconds = Math.Round(asked.WaitSeconds + queued, 3),
            ChargedSeconds = Math.Round(asked.ChargedSeconds + Math.Max(0, total - queued), 3),
        };
    }

    private static string Sha256(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    /// <summary>The verdict status as the store writes it (snake_case, the same as the verdict's own JSON).</summary>
    public static string StatusName(VerdictStatus status) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    private static AttemptRecord Finish(AttemptRecord record, Stopwatch clock, double waitSeconds)
    {
        var total = clock.Elapsed.TotalSeconds;
        return record with
        {
            EndedAt = DateTimeOffset.UtcNow,
            WaitSeconds = Math.Round(waitSeconds, 3),
            ChargedSeconds = Math.Round(Math.Max(0, total - waitSeconds), 3),
        };
    }
}
