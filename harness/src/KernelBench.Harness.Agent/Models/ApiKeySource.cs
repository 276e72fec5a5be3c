namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// Reads the API key from the environment variable the config names, then removes it from this process's environment
/// so no child (a candidate's Python worker above all) can inherit it. Messages name the variable, never the value.
/// </summary>
public static class ApiKeySource
{
    private static readonly Dictionary<string, string> Taken = new();

    public static string? Take(string? variable)
    {
        if (string.IsNullOrWhiteSpace(variable))
            return null;
        lock (Taken)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value))
            {
                Taken[variable] = value;
                Scoring.Verdicts.SecretValues.Add(value); // scrubbed from verdicts and feedback wherever it shows up
                Environment.SetEnvironmentVariable(variable, null);
                return value;
            }
            if (Taken.TryGetValue(variable, out var earlier))
                return earlier;
        }
        throw new ModelEndpointException(
            $"model.api_key_env names '{variable}', but that environment variable is not set; export it (the key is never written in a config).");
    }

    /// <summary>Replaces the key wherever it appears in a text that will be shown or stored (an error body that echoes a header).</summary>
    public static string Redact(string text, string? key) =>
        string.IsNullOrEmpty(key) || key.Length < 4 ? text : text.Replace(key, "***", StringComparison.Ordinal);
}
