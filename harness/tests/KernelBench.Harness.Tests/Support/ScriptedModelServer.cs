using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelBench.Harness.Tests.Support;

/// <summary>
/// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: POST /v1/chat/completions answers the next scripted
/// <see cref="ServerReply"/> (or the fallback), GET /v1/models lists <see cref="Models"/>. Raw sockets rather than
/// HttpListener so a test can drop a connection mid-body or hang after some events. Every request is recorded.
/// </summary>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<ServerReply> _script = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ScriptedModelServer()
    {
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Func<ReceivedRequest, ServerReply>? Fallback { get; set; }

    public IReadOnlyList<string> Models { get; set; } = ["deepseek-ai/deepseek-r1"];

    public List<ReceivedRequest> ChatRequests => Requests.Where(r => r.Path.EndsWith("/chat/completions")).ToList();

    private int _inFlight;
    private int _maxInFlight;

    /// <summary>The most chat requests this server was answering at the same time.</summary>
    public int MaxChatRequestsInFlight => Volatile.Read(ref _maxInFlight);

    public void Enqueue(params ServerReply[] replies)
    {
        foreach (var r in replies)
            _script.Enqueue(r);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            Requests.Enqueue(request);
            var reply = request.Path.EndsWith("/models") ? ModelsReply()
                : _script.TryDequeue(out var next) ? next
                : Fallback?.Invoke(request) ?? ServerReply.Error(500, "script exhausted");
            var chat = request.Path.EndsWith("/chat/completions");
            if (chat)
            {
                var now = Interlocked.Increment(ref _inFlight);
                int seen;
                while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
                {
                }
            }
            try
            {
                await WriteAsync(stream, reply);
            }
            finally
            {
                if (chat)
                    Interlocked.Decrement(ref _inFlight);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (IOException) { }
    }

    private ServerReply ModelsReply() => new()
    {
        Body = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(Models.Select(m => (JsonNode)new JsonObject { ["id"] = m, ["object"] = "model" }).ToArray()),
        }.ToJsonString(),
    };

    private async Task WriteAsync(NetworkStream stream, ServerReply reply)
    {
        var head = new StringBuilder($"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\nConnection: close\r\n");
        foreach (var (k, v) in reply.Headers)
            head.Append($"{k}: {v}\r\n");
        if (reply.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            head.Append($"Content-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(bytes);
            return;
        }
        head.Append("Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        for (var i = 0; i < reply.Events.Count; i++)
        {
            if (i == reply.DropAfter)
                return; // closing without the final chunk: the client sees the body end prematurely
            if (i == reply.HangAfter)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            if (reply.EventDelayMs > 0)
                await Task.Delay(reply.EventDelayMs, _stop.Token);
            await WriteChunkAsync(stream, $"data: {reply.Events[i]}\n\n");
        }
        if (reply.SendDone)
            await WriteChunkAsync(stream, "data: [DONE]\n\n");
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
    }

    private static async Task WriteChunkAsync(NetworkStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:X}\r\n"));
        await stream.WriteAsync(bytes);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    private static async Task<ReceivedRequest> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer) && await stream.ReadAsync(one) == 1)
            buffer.Add(one[0]);
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .ToDictionary(l => l[..l.IndexOf(':')].Trim().ToLowerInvariant(), l => l[(l.IndexOf(':') + 1)..].Trim());
        var body = new byte[headers.TryGetValue("content-length", out var len) ? int.Parse(len) : 0];
        await stream.ReadExactlyAsync(body);
        return new ReceivedRequest(parts[0], parts[1], headers, Encoding.UTF8.GetString(body));
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (Exception) { }
        _stop.Dispose();
    }
}

/// <summary>A request the server received, its JSON body parsed on demand.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
