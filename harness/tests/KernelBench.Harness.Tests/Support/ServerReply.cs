using System.Text.Json.Nodes;

namespace KernelBench.Harness.Tests.Support;

/// <summary>One scripted answer of <see cref="ScriptedModelServer"/>: a status with a body, or a stream of SSE events that may be cut or hang.</summary>
public sealed record ServerReply
{
    public int Status { get; init; } = 200;
    public Dictionary<string, string> Headers { get; init; } = [];
    public string? Body { get; init; }
    public IReadOnlyList<string> Events { get; init; } = [];
    public bool SendDone { get; init; } = true;

    /// <summary>Pause before each event, so a stream takes a while (a run that can be killed mid-way).</summary>
    public int EventDelayMs { get; init; }

    /// <summary>Close the connection after this many events, without ending the chunked body (a dropped connection).</summary>
    public int? DropAfter { get; init; }

    /// <summary>Stop sending after this many events and keep the connection open (a hung server).</summary>
    public int? HangAfter { get; init; }

    public static ServerReply Error(int status, string message, int? retryAfterSeconds = null) => new()
    {
        Status = status,
        Body = new JsonObject { ["error"] = new JsonObject { ["message"] = message } }.ToJsonString(),
        Headers = retryAfterSeconds is { } s ? new() { ["Retry-After"] = s.ToString() } : [],
    };

    /// <summary>An R1-like stream: reasoning in the named field (or none), then the content, usage in the last chunk.</summary>
    public static ServerReply Streamed(string content, string reasoning = "", string? reasoningField = "reasoning_content",
        int promptTokens = 100, int completionTokens = 50, bool finish = true, bool done = true)
    {
        var events = new List<string>();
        if (reasoningField is not null)
            events.AddRange(Pieces(reasoning).Select(p => Chunk(new JsonObject { [reasoningField] = p })));
        events.AddRange(Pieces(content).Select(p => Chunk(new JsonObject { ["content"] = p })));
        if (finish)
        {
            events.Add(Chunk(new JsonObject(), "stop"));
            events.Add(new JsonObject
            {
                ["id"] = "c1", ["object"] = "chat.completion.chunk", ["model"] = "scripted", ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
            }.ToJsonString());
        }
        return new ServerReply { Events = events, SendDone = done };
    }

    public static string Chunk(JsonObject delta, string? finishReason = null) => new JsonObject
    {
        ["id"] = "c1",
        ["object"] = "chat.completion.chunk",
        ["model"] = "scripted",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    }.ToJsonString();

    private static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 16)
            yield return text.Substring(i, Math.Min(16, text.Length - i));
    }
}
