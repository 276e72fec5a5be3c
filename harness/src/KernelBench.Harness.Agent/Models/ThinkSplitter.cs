namespace KernelBench.Harness.Agent.Models;

/// <summary>
/// Separates reasoning written inline in the content. R1 servers without a reasoning parser send
/// "&lt;think&gt;…&lt;/think&gt;answer", and R1 itself often omits the opening tag, leaving only "…&lt;/think&gt;answer".
/// An opening tag that is never closed (output cut at the token limit) means everything is reasoning.
/// </summary>
public static class ThinkSplitter
{
    private const string Open = "<think>";
    private const string Close = "</think>";

    public static (string Reasoning, string Answer) Split(string content)
    {
        var close = content.IndexOf(Close, StringComparison.Ordinal);
        if (close >= 0)
        {
            var reasoning = content[..close];
            var open = reasoning.IndexOf(Open, StringComparison.Ordinal);
            if (open >= 0 && string.IsNullOrWhiteSpace(reasoning[..open]))
                reasoning = reasoning[(open + Open.Length)..];
            return (reasoning.Trim(), content[(close + Close.Length)..].TrimStart());
        }
        var start = content.IndexOf(Open, StringComparison.Ordinal);
        if (start >= 0 && string.IsNullOrWhiteSpace(content[..start]))
            return (content[(start + Open.Length)..].Trim(), "");
        return ("", content);
    }
}
