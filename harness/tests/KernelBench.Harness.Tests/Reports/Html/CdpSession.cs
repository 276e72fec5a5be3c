using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>A minimal Chrome DevTools protocol client over System.Net.WebSockets: commands, events, and the page's errors.</summary>
public sealed class CdpSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _awaited = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    /// <summary>console.error calls, uncaught exceptions and browser log errors (failed loads, decode errors) seen so far.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public static async Task<CdpSession> ConnectAsync(Uri url, CancellationToken ct)
    {
        var session = new CdpSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(url, ct);
        session._reader = Task.Run(session.ReadLoopAsync);
        return session;
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        using var reg = ct.Register(() => tcs.TrySetCanceled(ct));
        return await tcs.Task;
    }

    public Task<JsonNode> WaitForEventAsync(string method, CancellationToken ct)
    {
        var tcs = _awaited.GetOrAdd(method, _ => new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously));
        ct.Register(() => tcs.TrySetCanceled(ct));
        return tcs.Task;
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                Dispatch(JsonNode.Parse(message.ToArray())!);
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser went away or we are closing.
        }
        foreach (var pending in _pending.Values)
            pending.TrySetException(new IOException("DevTools connection closed"));
    }

    private void Dispatch(JsonNode msg)
    {
        if (msg["id"] is { } idNode && _pending.TryRemove(idNode.GetValue<int>(), out var tcs))
        {
            if (msg["error"] is { } error)
                tcs.TrySetException(new InvalidOperationException($"DevTools error: {error.ToJsonString()}"));
            else
                tcs.TrySetResult(msg["result"] ?? new JsonObject());
            return;
        }
        var method = (string?)msg["method"];
        var p = msg["params"];
        switch (method)
        {
            case "Runtime.consoleAPICalled" when (string?)p!["type"] is "error" or "assert":
                Errors.Enqueue("console." + (string?)p!["type"] + ": " + p!["args"]?.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                Errors.Enqueue("exception: " + p!["exceptionDetails"]?.ToJsonString());
                break;
            case "Log.entryAdded" when (string?)p!["entry"]!["level"] == "error":
                Errors.Enqueue("log: " + (string?)p!["entry"]!["text"] + " " + (string?)p!["entry"]!["url"]);
                break;
        }
        if (method is not null && _awaited.TryGetValue(method, out var waiter))
            waiter.TrySetResult(p ?? new JsonObject());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Abort();
        await _reader;
        _socket.Dispose();
        _stop.Dispose();
    }
}
