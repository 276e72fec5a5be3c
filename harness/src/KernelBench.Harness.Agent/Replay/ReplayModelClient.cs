using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Replay;

/// <summary>
/// Answers from a finished run's transcripts, by (problem, chain, attempt index), so a run can be re-scored
/// (another tolerance, another GPU) without the model. A chain ends where the recorded one ended.
/// </summary>
public sealed class ReplayModelClient : IModelClient
{
    private readonly string _folder;
    private readonly Dictionary<(string, int, int), AttemptRecord> _answers;

    private ReplayModelClient(string folder, Dictionary<(string, int, int), AttemptRecord> answers)
    {
        _folder = folder;
        _answers = answers;
    }

    public string Describe => $"replay of {_folder}";

    public static ReplayModelClient Open(string runFolder)
    {
        var store = RunStore.Open(runFolder);
        var answers = new Dictionary<(string, int, int), AttemptRecord>();
        foreach (var a in store.ReadAttempts().Attempts)
            if (a.Response is not null)
                answers[(a.ProblemKey, a.Chain, a.Index)] = a;
        return new ReplayModelClient(runFolder, answers);
    }

    public Task<ModelReply> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        if (!_answers.TryGetValue((request.ProblemKey, request.Chain, request.Index), out var a))
            throw new ReplayExhaustedException($"{_folder} has no recorded answer for {request.ProblemKey} chain {request.Chain} attempt {request.Index}");
        return Task.FromResult(new ModelReply
        {
            Answer = a.Response!,
            Reasoning = a.Reasoning ?? "",
            PromptTokens = a.PromptTokens,
            CompletionTokens = a.CompletionTokens,
            FinishReason = "stop",
            Model = a.Model is { Length: > 0 } m ? m : "replay",
        });
    }
}
