using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KernelBench.Harness.Config;

namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// Streams chat completions from any OpenAI-compatible endpoint over plain HttpClient and server-sent events.
/// Wire level by hand (see README): the reasoning field differs per server, the output limit's name must be
/// configurable, a stream cut before [DONE] must be told apart from a finished one, and SK switches the SDK's
/// retries and timeouts off once it is handed an HttpClient. Each request has an idle timeout (no byte for that long)
/// and a total timeout; 429, 5xx, dropped and cut-off streams are retried with backoff, bounded and logged.
/// </summary>
public sealed class OpenAiCompatibleClient : IModelClient, IDisposable
{
    private readonly ModelSettings _model;
    private readonly string? _apiKey;
    private readonly HttpClient _http;
    private readonly RetryTiming _timing;
    private readonly Uri _endpoint;

    public OpenAiCompatibleClient(ModelSettings model, string? apiKey, RetryTiming? timing = null, HttpMessageHandler? handler = null)
    {
        _model = model;
        _apiKey = apiKey;
        _timing = timing ?? RetryTiming.Default;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = Timeout.InfiniteTimeSpan; // our own idle and total timeouts govern
        _endpoint = EndpointUrl(model.BaseUrl, "chat/completions");
    }

    public string Describe => $"{_model.Name} at {_model.BaseUrl}";

    public static Uri EndpointUrl(string baseUrl, string path) => new(baseUrl.TrimEnd('/') + "/" + path);

    public async Task<ModelReply> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var body = ChatRequestBody.Build(_model, request.Messages);
        var log = new List<string>();
        var wait = 0.0;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(TimeSpan.FromSeconds(_model.RequestTimeoutSeconds));
        for (var retries = 0; ; retries++)
        {
            string cause;
            TimeSpan? delay = null;
            try
            {
                var reply = await SendOnceAsync(body, total.Token);
                return reply with { Retries = retries, RetryLog = log, WaitSeconds = wait };
            }
            catch (RetryableException e) { cause = e.Message; delay = e.RetryAfter; }
            catch (StreamErrorException e) { cause = "error inside the stream: " + e.Message; }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
            catch (OperationCanceledException) when (total.IsCancellationRequested)
            {
                throw new ModelCallException($"no complete answer within request_timeout_s = {_model.RequestTimeoutSeconds:0.#} s", retries, log, wait);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                cause = "connection failed or dropped: " + Redact(e.Message);
            }
            if (retries >= _model.MaxRetries)
                throw new ModelCallException($"gave up after {retries} retries; last failure: {cause}", retries, log, wait);
            var pause = delay ?? _timing.Backoff(retries);
            log.Add($"{DateTimeOffset.UtcNow:O} retry {retries + 1}/{_model.MaxRetries} after: {cause}; waiting {pause.TotalSeconds:0.###} s");
            var clock = Stopwatch.StartNew();
            try
            {
                await Task.Delay(pause, total.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ModelCallException($"no complete answer within request_timeout_s = {_model.RequestTimeoutSeconds:0.#} s (last failure: {cause})", retries, log, wait + clock.Elapsed.TotalSeconds);
            }
            wait += clock.Elapsed.TotalSeconds;
        }
    }

    private async Task<ModelReply> SendOnceAsync(string body, CancellationToken token)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (_apiKey is not null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        message.Headers.Accept.ParseAdd("text/event-stream");
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
        var idleAfter = TimeSpan.FromSeconds(_model.IdleTimeoutSeconds);
        idle.CancelAfter(idleAfter);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, idle.Token);
            if (!response.IsSuccessStatusCode)
            {
                var error = Redact(await response.Content.ReadAsStringAsync(idle.Token));
                throw HttpStatusPolicy.Classify(response, error, _endpoint.ToString(), _model.Name, _model.ApiKeyEnv);
            }
            var reply = new ReplyAccumulator();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(idle.Token), Encoding.UTF8);
            if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                // Some servers ignore "stream": true and answer with one JSON body.
                reply.Add(Parse(await reader.ReadToEndAsync(idle.Token)));
                reply.SawDone = true;
            }
            else
            {
                await ReadEventsAsync(reader, reply, idle, idleAfter);
            }
            if (!reply.IsComplete)
                throw new RetryableException(reply.SawAnything ? "stream cut off before it finished (no finish_reason, no [DONE])" : "empty response");
            return reply.ToReply(_model.Name);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new RetryableException($"no data for idle_timeout_s = {_model.IdleTimeoutSeconds:0.###} s");
        }
    }

    private static async Task ReadEventsAsync(StreamReader reader, ReplyAccumulator reply, CancellationTokenSource idle, TimeSpan idleAfter)
    {
        while (await reader.ReadLineAsync(idle.Token) is { } line)
        {
            idle.CancelAfter(idleAfter); // every line, even a keep-alive comment, resets the idle clock
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue;
            var data = line[5..].Trim();
            if (data == "[DONE]")
            {
                reply.SawDone = true;
                return;
            }
            if (data.Length > 0)
                reply.Add(Parse(data));
        }
    }

    private static JsonElement Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            var shown = json.Length > 200 ? json[..200] + "…" : json;
            throw new RetryableException($"the endpoint answered something that is not JSON: {shown}");
        }
    }

    private string Redact(string text) => ApiKeySource.Redact(text, _apiKey);

    public void Dispose() => _http.Dispose();
}
