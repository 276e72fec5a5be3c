using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Agent.Prompts;
using KernelBench.Harness.Problems;
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
        var (verdict, queued, _) = await ctx.Verifier.VerifyAsync(problem, code, cancellationToken);
        return Finish(record with
        {
            Status = StatusName(verdict.Status), Code = code, Verdict = verdict,
            CodeSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code))),
        }, clock, reply.WaitSeconds + queued);
    }

    /// <summary>The verdict status as the store writes it (snake_case, the same as the verdict's own JSON).</summary>
    public static string StatusName(Scoring.Verdicts.VerdictStatus status) =>
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
