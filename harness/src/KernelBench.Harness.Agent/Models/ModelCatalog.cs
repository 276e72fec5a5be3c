using System.Net.Http.Headers;
using System.Text.Json;
using KernelBench.Harness.Config;

namespace KernelBench.Harness.Agent.Models;

/// <summary>GET {base_url}/models: what the endpoint serves, for `kbh models` and for a helpful message on a wrong name.</summary>
public static class ModelCatalog
{
    public static async Task<IReadOnlyList<string>> ListAsync(ModelSettings model, string? apiKey, CancellationToken cancellationToken)
    {
        var url = OpenAiCompatibleClient.EndpointUrl(model.BaseUrl, "models");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Min(model.RequestTimeoutSeconds, 120)) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (apiKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelEndpointException($"{url}: no answer ({ApiKeySource.Redact(e.Message, apiKey)}); check model.base_url.");
        }
        using (response)
        {
            var body = ApiKeySource.Redact(await response.Content.ReadAsStringAsync(cancellationToken), apiKey);
            if (!response.IsSuccessStatusCode)
            {
                var error = HttpStatusPolicy.Classify(response, body, url.ToString(), model.Name, model.ApiKeyEnv);
                throw error as ModelEndpointException ?? new ModelEndpointException($"{url}: {error.Message}");
            }
            try
            {
                using var doc = JsonDocument.Parse(body);
                return doc.RootElement.GetProperty("data").EnumerateArray()
                    .Select(m => m.GetProperty("id").GetString() ?? "").Where(id => id.Length > 0).Order(StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ModelEndpointException($"{url}: the answer is not an OpenAI model list: {(body.Length > 200 ? body[..200] + "…" : body)}");
            }
        }
    }
}
