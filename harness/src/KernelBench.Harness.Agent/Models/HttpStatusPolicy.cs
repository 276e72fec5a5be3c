using System.Net;
using System.Net.Http.Headers;

namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// What an HTTP error means for this run: retry (429, 408, 5xx), or stop at once with a message naming the cause
/// (401/403: the key; 404: the model or URL; 410: a retired model, as NIM answers for withdrawn R1 versions).
/// </summary>
internal static class HttpStatusPolicy
{
    public static Exception Classify(HttpResponseMessage response, string body, string url, string model, string? keyVariable)
    {
        var code = (int)response.StatusCode;
        var snippet = body.Length > 400 ? body[..400] + "…" : body;
        var retryAfter = RetryAfter(response.Headers.RetryAfter);
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new RetryableException($"HTTP 429 rate limited{(retryAfter is { } r ? $" (Retry-After {r.TotalSeconds:0.#} s)" : "")}", retryAfter),
            HttpStatusCode.RequestTimeout or (HttpStatusCode)425 => new RetryableException($"HTTP {code}", retryAfter),
            _ when code >= 500 => new RetryableException($"HTTP {code} server error: {snippet}", retryAfter),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ModelEndpointException(
                $"HTTP {code} from {url}: the endpoint refused the API key" +
                (keyVariable is null ? " (no key was sent: set model.api_key_env)." : $" taken from ${keyVariable}; check that it is valid for this endpoint.")),
            HttpStatusCode.NotFound => new ModelEndpointException(
                $"HTTP 404 from {url}: model '{model}' or the URL is unknown to this endpoint ({snippet}); `kbh models --config FILE` lists what it serves."),
            HttpStatusCode.Gone => new ModelEndpointException(
                $"HTTP 410 from {url}: model '{model}' is retired at this endpoint ({snippet}); choose a model it still serves (`kbh models --config FILE`)."),
            _ => new ModelEndpointException(
                $"HTTP {code} from {url}: the endpoint refused the request: {snippet}" +
                (body.Contains("max_tokens", StringComparison.OrdinalIgnoreCase) || body.Contains("max_completion_tokens", StringComparison.OrdinalIgnoreCase)
                    ? " (set model.max_tokens_field to the name this endpoint accepts: max_tokens or max_completion_tokens)"
                    : "")),
        };
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } w)
            return null;
        return w < TimeSpan.Zero ? TimeSpan.Zero : w > RetryTiming.MaxRetryAfter ? RetryTiming.MaxRetryAfter : w;
    }
}
