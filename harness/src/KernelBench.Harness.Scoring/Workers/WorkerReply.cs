using System.Text.Json;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>How a job ended from the harness's side: the worker answered, ran out of time, or died.</summary>
public enum WorkerOutcome
{
    Answered,
    TimedOut,
    Crashed,
}

/// <summary>One job's result. <see cref="Body"/> is the worker's answer when <see cref="Outcome"/> is Answered.</summary>
public sealed record WorkerReply(WorkerOutcome Outcome, JsonElement Body, string Detail, string OutputTail)
{
    public string Status => Str("status");

    public string Str(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : "";

    public double? Num(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.String
              && s.GetString() is "Infinity" ? double.PositiveInfinity : null;

    public bool Flag(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public IReadOnlyList<double> Times(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetDouble()).ToList()
            : [];

    /// <summary>An object of numbers (e.g. phase_seconds), in the order sent; other values are skipped.</summary>
    public IReadOnlyDictionary<string, double> Numbers(string name)
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        if (Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object)
            foreach (var p in v.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.Number)
                    numbers[p.Name] = p.Value.GetDouble();
        return numbers;
    }

    /// <summary>An object flattened to text (nested objects as "outer.inner"), e.g. the sandbox report; empty if absent.</summary>
    public IReadOnlyDictionary<string, string> Texts(string name)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object)
            Flatten(v, "", texts);
        return texts;
    }

    private static void Flatten(JsonElement value, string prefix, Dictionary<string, string> into)
    {
        foreach (var p in value.EnumerateObject())
        {
            var key = prefix + p.Name;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(p.Value, key + ".", into);
                    break;
                case JsonValueKind.String:
                    into[key] = p.Value.GetString() ?? "";
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    into[key] = p.Value.ValueKind == JsonValueKind.True ? "true" : "false";
                    break;
                case JsonValueKind.Number:
                    into[key] = p.Value.GetRawText();
                    break;
            }
        }
    }

    public IEnumerable<JsonElement> Array(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray()
            : [];
}
