using System.Text.RegularExpressions;

namespace KernelBench.Harness.Agent.Prompts;

/// <summary>
/// Takes the candidate from an answer: the last fenced block (```python, ```py or unlabelled) that defines class ModelNew.
/// The last, because models often show a draft first and the final version after. Null when there is none.
/// </summary>
public static partial class CodeExtractor
{
    public static string? Extract(string answer)
    {
        string? found = null;
        foreach (Match m in Fence().Matches(answer))
        {
            var lang = m.Groups["lang"].Value.ToLowerInvariant();
            if (lang is not ("" or "python" or "py" or "python3"))
                continue;
            var code = m.Groups["code"].Value;
            if (DefinesModelNew().IsMatch(code))
                found = code.TrimEnd() + "\n";
        }
        return found;
    }

    [GeneratedRegex(@"^[ \t]*```[ \t]*(?<lang>[A-Za-z0-9_+-]*)[^\n]*\n(?<code>.*?)^[ \t]*```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^class\s+ModelNew\b", RegexOptions.Multiline)]
    private static partial Regex DefinesModelNew();
}
