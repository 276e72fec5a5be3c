using System.Diagnostics;
using KernelBench.Harness.Agent.Models;
using KernelBench.Harness.Config;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Models;

/// <summary>The endpoint client against a real HTTP server on 127.0.0.1 that answers like R1's servers do.</summary>
public sealed class OpenAiCompatibleClientTests
{
    private const string Code = "```python\nclass ModelNew: pass\n```";
    private static readonly RetryTiming Fast = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));
    private ScriptedModelServer _server = null!;

    [SetUp]
    public void SetUp() => _server = new ScriptedModelServer();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    private ModelSettings Settings(int retries = 2, double idle = 5, string field = "max_tokens") => new()
    {
        Name = "deepseek-ai/deepseek-r1", BaseUrl = _server.BaseUrl, MaxRetries = retries,
        IdleTimeoutSeconds = idle, RequestTimeoutSeconds = 30, MaxTokensField = field, MaxOutputTokens = 4096,
    };

    private async Task<ModelReply> Ask(ModelSettings? settings = null, string? key = null)
    {
        using var client = new OpenAiCompatibleClient(settings ?? Settings(), key, Fast);
        return await client.CompleteAsync(new ModelRequest("L1/1", 0, 0, [ChatTurn.User("write a kernel")]), CancellationToken.None);
    }

    [TestCase("reasoning_content")]
    [TestCase("reasoning")]
    public async Task CompleteAsync_ReasoningField_KeptApartFromAnswer(string field)
    {
        _server.Enqueue(ServerReply.Streamed(Code, reasoning: "Let me think about the grid size.", reasoningField: field));
        var reply = await Ask();
        Assert.That(reply.Reasoning, Is.EqualTo("Let me think about the grid size."));
        Assert.That(reply.Answer, Is.EqualTo(Code));
    }

    [TestCase("<think>\nfirst fuse, then tile\n</think>\n\n")]
    [TestCase("first fuse, then tile\n</think>\n\n")]
    public async Task CompleteAsync_InlineThinkTags_SplitIntoReasoningAndAnswer(string prefix)
    {
        _server.Enqueue(ServerReply.Streamed(prefix + Code, reasoningField: null));
        var reply = await Ask();
        Assert.That(reply.Reasoning, Is.EqualTo("first fuse, then tile"));
        Assert.That(reply.Answer, Is.EqualTo(Code));
    }

    [Test]
    public async Task CompleteAsync_UsageInLastChunk_TokensRecorded()
    {
        _server.Enqueue(ServerReply.Streamed(Code, "r", promptTokens: 321, completionTokens: 1234));
        var reply = await Ask();
        Assert.That((reply.PromptTokens, reply.CompletionTokens, reply.FinishReason, reply.Retries), Is.EqualTo(((int?)321, (int?)1234, "stop", 0)));
    }

    [Test]
    public async Task CompleteAsync_RequestBody_FollowsR1AdviceAndConfiguredTokenField()
    {
        _server.Enqueue(ServerReply.Streamed(Code));
        await Ask(Settings(field: "max_completion_tokens"), key: "sk-test-123456");
        var request = _server.ChatRequests.Single();
        var body = request.Json;
        Assert.That((double)body["temperature"]!, Is.EqualTo(0.6));
        Assert.That((double)body["top_p"]!, Is.EqualTo(0.95));
        Assert.That((int)body["max_completion_tokens"]!, Is.EqualTo(4096));
        Assert.That(body.ContainsKey("max_tokens"), Is.False);
        Assert.That((bool)body["stream"]!, Is.True);
        Assert.That(body["messages"]!.AsArray().Select(m => (string)m!["role"]!), Is.EqualTo(new[] { "user" }));
        Assert.That(request.Headers["authorization"], Is.EqualTo("Bearer sk-test-123456"));
    }

    [Test]
    public async Task CompleteAsync_429WithRetryAfter_WaitsAndRetriesRecordingIt()
    {
        _server.Enqueue(ServerReply.Error(429, "slow down", retryAfterSeconds: 1), ServerReply.Streamed(Code));
        var clock = Stopwatch.StartNew();
        var reply = await Ask();
        Assert.That(clock.Elapsed.TotalSeconds, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(reply.Retries, Is.EqualTo(1));
        Assert.That(reply.WaitSeconds, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(reply.RetryLog.Single(), Does.Contain("429").And.Contain("Retry-After 1"));
        Assert.That(reply.Answer, Is.EqualTo(Code));
    }

    [Test]
    public async Task CompleteAsync_500ThenSuccess_Retried()
    {
        _server.Enqueue(ServerReply.Error(500, "overloaded"), ServerReply.Streamed(Code));
        var reply = await Ask();
        Assert.That(reply.Retries, Is.EqualTo(1));
        Assert.That(reply.RetryLog.Single(), Does.Contain("HTTP 500"));
    }

    [Test]
    public async Task CompleteAsync_PersistentServerError_GivesUpAfterMaxRetries()
    {
        _server.Fallback = _ => ServerReply.Error(503, "down");
        var e = await Assert.ThrowsAsync<ModelCallException>(() => Ask(Settings(retries: 2)));
        Assert.That(e!.Retries, Is.EqualTo(2));
        Assert.That(e.RetryLog, Has.Count.EqualTo(2));
        Assert.That(_server.ChatRequests, Has.Count.EqualTo(3));
    }

    [TestCase(410, "retired")]
    [TestCase(404, "unknown to this endpoint")]
    [TestCase(401, "refused the API key")]
    public async Task CompleteAsync_FatalStatus_StopsAtOnceNamingTheCause(int status, string cause)
    {
        _server.Fallback = _ => ServerReply.Error(status, "no");
        var e = await Assert.ThrowsAsync<ModelEndpointException>(() => Ask(Settings() with { ApiKeyEnv = "KBH_TEST_KEY" }, key: "sk-secret-abcdef"));
        Assert.That(e!.Message, Does.Contain($"HTTP {status}").And.Contain(cause));
        Assert.That(e.Message, Does.Not.Contain("sk-secret-abcdef"));
        Assert.That(_server.ChatRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CompleteAsync_ConnectionDroppedMidStream_Retried()
    {
        _server.Enqueue(ServerReply.Streamed(Code, "long reasoning here") with { DropAfter = 1 }, ServerReply.Streamed(Code, "again"));
        var reply = await Ask();
        Assert.That(reply.Retries, Is.EqualTo(1));
        Assert.That(reply.RetryLog.Single(), Does.Contain("connection failed or dropped"));
        Assert.That(reply.Reasoning, Is.EqualTo("again"));
    }

    [Test]
    public async Task CompleteAsync_StreamEndsWithoutFinish_TreatedAsCutOffAndRetried()
    {
        _server.Enqueue(ServerReply.Streamed(Code, "half", finish: false, done: false), ServerReply.Streamed(Code, "whole"));
        var reply = await Ask();
        Assert.That(reply.RetryLog.Single(), Does.Contain("cut off"));
        Assert.That(reply.Reasoning, Is.EqualTo("whole"));
    }

    [Test]
    public async Task CompleteAsync_ServerHangs_IdleTimeoutFires()
    {
        _server.Fallback = _ => ServerReply.Streamed(Code, "thinking...") with { HangAfter = 1 };
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ModelCallException>(() => Ask(Settings(retries: 1, idle: 0.5)));
        Assert.That(e!.Message, Does.Contain("idle_timeout_s"));
        Assert.That(e.Retries, Is.EqualTo(1));
        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(10));
    }

    [Test]
    public async Task CompleteAsync_ServerHangs_TotalTimeoutEndsTheRequest()
    {
        // Keep-alive events every so often would defeat the idle timeout; the total timeout still ends it.
        _server.Fallback = _ => ServerReply.Streamed(Code, "thinking...") with { HangAfter = 1 };
        var e = await Assert.ThrowsAsync<ModelCallException>(() => Ask(Settings(retries: 5, idle: 30) with { RequestTimeoutSeconds = 1 }));
        Assert.That(e!.Message, Does.Contain("request_timeout_s"));
    }

    [Test]
    public async Task CompleteAsync_GarbageStream_RetriedThenModelError()
    {
        _server.Fallback = _ => new ServerReply { Events = ["<html>502 Bad Gateway</html>"] };
        var e = await Assert.ThrowsAsync<ModelCallException>(() => Ask(Settings(retries: 1)));
        Assert.That(e!.Message, Does.Contain("not JSON").And.Contain("502 Bad Gateway"));
    }

    [Test]
    public async Task CompleteAsync_NonStreamedJsonBody_Accepted()
    {
        _server.Enqueue(new ServerReply
        {
            Body = """{"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"</think>answer","reasoning_content":"why"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}""",
        });
        var reply = await Ask();
        Assert.That((reply.Answer, reply.Reasoning, reply.CompletionTokens), Is.EqualTo(("answer", "why", (int?)4)));
    }
}
