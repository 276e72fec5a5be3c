using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Config;
using KernelBench.Harness.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;

namespace KernelBench.Harness.Tests.Agent.Models;

/// <summary>The endpoint client seen as a Microsoft.Extensions.AI IChatClient: reasoning apart, never sent back.</summary>
public sealed class EndpointChatClientTests
{
    [Test]
    public async Task GetResponseAsync_ReasoningStream_ReasoningContentApartAndHistoryReasoningDropped()
    {
        await using var server = new ScriptedModelServer();
        server.Enqueue(ServerReply.Streamed("final answer", "private thought", reasoningField: "reasoning", completionTokens: 77));
        using IChatClient client = new EndpointChatClient(new OpenAiCompatibleClient(
            new ModelSettings { Name = "deepseek-ai/deepseek-r1", BaseUrl = server.BaseUrl }, null));
        var history = new List<ChatMessage>
        {
            new(ChatRole.User, "task"),
            new(ChatRole.Assistant, [new TextReasoningContent("OLD-REASONING"), new TextContent("old answer")]),
            new(ChatRole.User, "feedback"),
        };
        var response = await client.GetResponseAsync(history);
        Assert.That(response.Messages.Single().Contents.OfType<TextReasoningContent>().Single().Text, Is.EqualTo("private thought"));
        Assert.That(response.Text, Is.EqualTo("final answer"));
        Assert.That(response.Usage!.OutputTokenCount, Is.EqualTo(77));
        var sent = server.ChatRequests.Single().Body;
        Assert.That(sent, Does.Contain("old answer").And.Not.Contain("OLD-REASONING"));
    }

    [Test]
    public async Task AsChatCompletionService_SemanticKernel_GetsTheAnswer()
    {
        await using var server = new ScriptedModelServer();
        server.Enqueue(ServerReply.Streamed("sk answer", "thinking", reasoningField: "reasoning_content"));
        using var client = new EndpointChatClient(new OpenAiCompatibleClient(new ModelSettings { Name = "deepseek-ai/deepseek-r1", BaseUrl = server.BaseUrl }, null));
        var service = client.AsChatCompletionService();
        var history = new ChatHistory();
        history.AddUserMessage("write a kernel");
        var reply = await service.GetChatMessageContentAsync(history);
        Assert.That(reply.Content, Is.EqualTo("sk answer"));
        Assert.That((string)server.ChatRequests.Single().Json["messages"]![0]!["content"]!, Is.EqualTo("write a kernel"));
    }
}
