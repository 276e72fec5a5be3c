using System.Text.Json;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// One line of a worker's stdout read as an answer: a JSON object carrying the worker's nonce, else null. Text in it
/// that is not valid Unicode (a lone surrogate escape, which JSON allows and .NET cannot turn into a string) would
/// throw wherever the answer is read and end the whole run; the worker cleans what it sends, and an answer that still
/// holds such text becomes a runtime_error for its own job here.
/// </summary>
public static class WorkerAnswerText
{
    public static JsonElement? Read(string line, string nonce)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nonce", out var n)
                || n.ValueKind != JsonValueKind.String || n.GetString() != nonce)
                return null;
            return Readable(root) ? root.Clone() : Unreadable(root, nonce);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // (a nonce that is not text)
        {
            return null;
        }
    }

    private static bool Readable(JsonElement e)
    {
        try
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                        if (p.Name is null || !Readable(p.Value))
                            return false;
                    return true;
                case JsonValueKind.Array:
                    return e.EnumerateArray().All(Readable);
                case JsonValueKind.String:
                    return e.GetString() is not null;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static JsonElement Unreadable(JsonElement root, string nonce)
    {
        var answer = new Dictionary<string, object?>
        {
            ["nonce"] = nonce,
            ["status"] = "runtime_error",
            ["reason"] = "the worker's answer held text that is not valid Unicode (a lone surrogate); nothing of it was kept",
        };
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number))
            answer["id"] = number;
        return JsonSerializer.SerializeToElement(answer);
    }
}
