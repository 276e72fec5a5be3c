using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Config;

namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// The JSON body of a chat completion request, written by hand because the OpenAI SDK always names the output limit
/// max_completion_tokens, which vLLM releases, Ollama and several hosted servers refuse or ignore.
/// </summary>
public static class ChatRequestBody
{
    public static string Build(ModelSettings model, IReadOnlyList<ChatTurn> turns)
    {
        var messages = new JsonArray();
        if (model.SystemPrompt is { Length: > 0 } system)
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        foreach (var turn in turns)
            messages.Add(new JsonObject { ["role"] = turn.Role, ["content"] = turn.Content });
        var body = new JsonObject
        {
            ["model"] = model.Name,
            ["messages"] = messages,
            ["temperature"] = model.Temperature,
            ["top_p"] = model.TopP,
            [model.MaxTokensField] = model.MaxOutputTokens,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        return body.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
