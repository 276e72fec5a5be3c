using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Loop;

/// <summary>
/// Runs every selected problem, parallel_problems at a time, sharing the model and the verifier queue. An endpoint that
/// cannot serve at all (bad key, retired model) stops the whole run with its message; what was stored stays stored.
/// </summary>
public static class AgentRunner
{
    public static async Task<IReadOnlyList<ProblemOutcome>> RunAsync(LoopContext ctx, IReadOnlyList<Problem> problems, CancellationToken cancellationToken)
    {
        var earlier = ctx.Store.ReadAttempts().Attempts
            .GroupBy(a => (a.ProblemKey, a.Chain, a.Index)).Select(g => g.First()) // a record is never counted twice
            .ToLookup(a => a.ProblemKey);
        var unfinished = StartLog.Unfinished(ctx.Store.ReadStarted(), earlier.SelectMany(g => g)).ToLookup(u => u.Attempt.ProblemKey);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(ctx.Config.ParallelProblems);
        ModelEndpointException? fatal = null;
        var tasks = problems.Select(async problem =>
        {
            await slots.WaitAsync(stop.Token);
            try
            {
                return await new ProblemRunner(ctx, problem, earlier[problem.Key].ToList(), unfinished[problem.Key].ToList()).RunAsync(stop.Token);
            }
            catch (ModelEndpointException e)
            {
                Interlocked.CompareExchange(ref fatal, e, null);
                await stop.CancelAsync();
                throw;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        try
        {
            return await Task.WhenAll(tasks);
        }
        catch (Exception) when (fatal is not null && !cancellationToken.IsCancellationRequested)
        {
            throw fatal;
        }
    }
}
