using KernelBench.Harness.Agent.Replay;
using KernelBench.Harness.Config;

namespace KernelBench.Harness.Agent.Models;

/// <summary>Builds the answer source the config names: an OpenAI-compatible endpoint, or the transcripts of a finished run.</summary>
public static class ModelClientFactory
{
    public static IModelClient Create(ModelSettings model, RetryTiming? timing = null) => model.Provider switch
    {
        "replay" => ReplayModelClient.Open(model.ReplayFrom!),
        _ => new OpenAiCompatibleClient(model, ApiKeySource.Take(model.ApiKeyEnv), timing),
    };
}
