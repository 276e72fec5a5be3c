using System.Text;
using System.Text.Json;

namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// Collects one answer from streamed chunks (or one non-streamed body): content, reasoning from whichever field the
/// server uses (reasoning_content: DeepSeek, NIM, SGLang, older vLLM; reasoning: newer vLLM, Ollama, OpenRouter),
/// usage from the last chunk, and the finish reason.
/// </summary>
internal sealed class ReplyAccumulator
{
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();

    public int? PromptTokens { get; private set; }
    public int? CompletionTokens { get; private set; }
    public string? FinishReason { get; private set; }
    public string? Model { get; private set; }
    public bool SawDone { get; set; }
    public bool SawAnything { get; private set; }

    /// <summary>Adds one JSON object: a stream chunk ("delta") or a whole response ("message").</summary>
    public void Add(JsonElement root)
    {
        SawAnything = true;
        if (root.TryGetProperty("error", out var error))
            throw new StreamErrorException(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString());
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
            Model = model.GetString();
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            PromptTokens = Int(usage, "prompt_tokens") ?? PromptTokens;
            CompletionTokens = Int(usage, "completion_tokens") ?? CompletionTokens;
        }
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            return;
        foreach (var choice in choices.EnumerateArray())
        {
            var part = choice.TryGetProperty("delta", out var d) ? d : choice.TryGetProperty("message", out var msg) ? msg : default;
            if (part.ValueKind == JsonValueKind.Object)
            {
                Append(_content, part, "content");
                Append(_reasoning, part, "reasoning_content");
                Append(_reasoning, part, "reasoning");
            }
            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                FinishReason = finish.GetString();
        }
    }

    public bool IsComplete => SawDone || FinishReason is not null;

    public ModelReply ToReply(string requestedModel)
    {
        var (inlineReasoning, answer) = ThinkSplitter.Split(_content.ToString());
        var reasoning = _reasoning.Length > 0 && inlineReasoning.Length > 0
            ? _reasoning + "\n" + inlineReasoning
            : _reasoning.Length > 0 ? _reasoning.ToString() : inlineReasoning;
        return new ModelReply
        {
            Answer = answer,
            Reasoning = reasoning,
            PromptTokens = PromptTokens,
            // Servers that send no usage still get a budget: about four characters a token.
            CompletionTokens = CompletionTokens ?? (_content.Length + _reasoning.Length + 3) / 4,
            FinishReason = FinishReason,
            Model = Model ?? requestedModel,
        };
    }

    private static void Append(StringBuilder to, JsonElement part, string name)
    {
        if (part.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            to.Append(value.GetString());
    }

    private static int? Int(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}

/// <summary>The server reported an error inside the stream (vLLM and SGLang do so on overload): retried like a 5xx.</summary>
internal sealed class StreamErrorException(string message) : Exception(message);
