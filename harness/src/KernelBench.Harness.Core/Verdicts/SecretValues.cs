namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>
/// The secret values this process holds (model API keys, registered when they are read). Everything a candidate could
/// have influenced — a verdict's reason, its printed output — is scrubbed of them before it is stored, shown or sent
/// back to the model as feedback: defence in depth behind the sandbox, which keeps a candidate from reading them at all.
/// </summary>
public static class SecretValues
{
    private static readonly HashSet<string> Values = new(StringComparer.Ordinal);

    public static void Add(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 8) // too short to scrub without mangling ordinary text
            return;
        lock (Values)
            Values.Add(value);
    }

    public static string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        lock (Values)
            foreach (var value in Values)
                text = text.Replace(value, "[secret removed]", StringComparison.Ordinal);
        return text;
    }
}
