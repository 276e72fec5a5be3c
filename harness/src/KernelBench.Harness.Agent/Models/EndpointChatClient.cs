using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// Any <see cref="IModelClient"/> as a Microsoft.Extensions.AI <see cref="IChatClient"/>, so MEAI and Semantic Kernel
/// code (SK takes an IChatClient via AsChatCompletionService) can use the same endpoint handling: the reasoning comes
/// back as <see cref="TextReasoningContent"/>, the answer as <see cref="TextContent"/>, retries in AdditionalProperties.
/// Reasoning in the history passed in is dropped: R1's earlier reasoning is never sent back.
/// </summary>
public sealed class EndpointChatClient(IModelClient inner) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var turns = messages.Select(m => new ChatTurn(m.Role.Value, string.Concat(m.Contents.OfType<TextContent>().Select(t => t.Text)))).ToList();
        var reply = await inner.CompleteAsync(new ModelRequest("", 0, 0, turns), cancellationToken);
        var contents = new List<AIContent>();
        if (reply.Reasoning.Length > 0)
            contents.Add(new TextReasoningContent(reply.Reasoning));
        contents.Add(new TextContent(reply.Answer));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = reply.Model,
            FinishReason = reply.FinishReason is { } f ? new ChatFinishReason(f) : null,
            Usage = new UsageDetails { InputTokenCount = reply.PromptTokens, OutputTokenCount = reply.CompletionTokens },
            AdditionalProperties = new() { ["retries"] = reply.Retries, ["wait_seconds"] = reply.WaitSeconds },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The wire stream is consumed whole (it must be to detect a cut-off and retry); callers get it as one update list.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : serviceKey is null && serviceType.IsInstanceOfType(inner) ? inner : null;

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
