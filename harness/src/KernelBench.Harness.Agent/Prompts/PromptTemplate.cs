using System.Text.RegularExpressions;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Agent.Prompts;

/// <summary>
/// A prompt template with {{name}} placeholders. Checked when loaded: a placeholder this harness does not fill is an error
/// naming the file, line and the names it knows, so a typo never reaches the model as literal braces.
/// </summary>
public sealed partial class PromptTemplate
{
    private readonly string _text;

    private PromptTemplate(string text, string origin)
    {
        _text = text;
        Origin = origin;
    }

    public string Origin { get; }

    public static PromptTemplate Parse(string text, string origin, IReadOnlyCollection<string> known)
    {
        foreach (Match m in Placeholder().Matches(text))
        {
            if (known.Contains(m.Groups[1].Value))
                continue;
            var line = text.AsSpan(0, m.Index).Count('\n') + 1;
            throw new PromptTemplateException(
                $"{origin}:{line}: unknown placeholder '{m.Value}'; this template can use {string.Join(", ", known.Select(k => "{{" + k + "}}"))}");
        }
        return new PromptTemplate(text, origin);
    }

    /// <summary>Fills every placeholder in one pass, so text inserted (a problem's source, a compiler log) is never re-read as a template.</summary>
    public string Render(IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(_text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>A prompt template that cannot be used; the message names the file and the cause.</summary>
public sealed class PromptTemplateException(string message) : BadInputException(message);
