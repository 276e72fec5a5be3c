using System.Globalization;
using System.Net;
using System.Text;
using KernelBench.Harness.Reports.Model;
using KernelBench.Harness.Scoring.Timing;
using static KernelBench.Harness.Reports.Model.Format;

namespace KernelBench.Harness.Reports.Html;

/// <summary>
/// One attempt on a problem page: status, reason, timing with 95% intervals, tokens and retries, then the prompt, the
/// reasoning and the answer folded, and the code with its diff against the chain's previous attempt.
/// </summary>
public static class AttemptSection
{
    public static string Anchor(Store.AttemptRecord a) => $"c{a.Chain}-a{a.Index}";

    public static void Write(StringBuilder sb, TimedAttempt t, Store.AttemptRecord? previous)
    {
        var a = t.Record;
        var v = a.Verdict;
        sb.Append("<section class=\"attempt\" id=\"").Append(Anchor(a)).Append("\"><h4>Chain ").Append(a.Chain).Append(", attempt ").Append(a.Index)
          .Append(" <span class=\"status ").Append(TimelineSvg.StatusClass(a.Status)).Append("\">").Append(E(a.Status)).Append("</span></h4>\n");
        var facts = new List<(string, string)>
        {
            ("Reason", v?.Reason is { Length: > 0 } r ? r : a.Error ?? ""),
            ("Runtime", Timing(v?.Runtime)),
            ("Reference", Timing(v?.RefRuntime)),
            ("Speedup", t.Speedup is null ? "–" : $"{Speedup(t.Speedup)} (lower 95% bound {Speedup(t.SpeedupLower)})"),
            ("Budget", $"#{t.AttemptNumber} on the problem's budget axis; charged {Duration(a.ChargedSeconds)}, waited {Duration(a.WaitSeconds)} (not charged); budget clock {Duration(t.BudgetSeconds)}"),
            ("Tokens", $"{Count(a.PromptTokens)} prompt, {Count(a.CompletionTokens)} completion" + (a.FinishReason is { } f ? $"; finish reason {f}" : "")),
            ("Retries", a.Retries.ToString(CultureInfo.InvariantCulture) + (a.RetryLog is { Count: > 0 } log ? ": " + string.Join("; ", log) : "")),
            ("Flags", v?.Flags is { Count: > 0 } flags ? string.Join(", ", flags) : "–"),
            ("Started", a.StartedAt.ToString("u", CultureInfo.InvariantCulture) + (a.Model is { Length: > 0 } m ? $" by {m}" : "")),
        };
        if (v?.MaxAbsDiff is { } diff)
            facts.Add(("Max abs diff", Sci(diff)));
        sb.Append("<table class=\"facts\"><tbody>");
        foreach (var (name, value) in facts.Where(f => f.Item2.Length > 0))
            sb.Append("<tr><th>").Append(E(name)).Append("</th><td class=\"wrap\">").Append(E(value)).Append("</td></tr>");
        sb.Append("</tbody></table>\n");

        Folded(sb, "Prompt", a.Prompt, open: false);
        Folded(sb, "Reasoning", a.Reasoning, open: false);
        Folded(sb, "Answer", a.Response, open: false);
        if (a.Code is null)
            sb.Append("<p class=\"note\">No code in this attempt.</p>\n");
        else if (previous is null)
            Folded(sb, "Code (first attempt of the chain)", a.Code, open: true);
        else
        {
            WriteDiff(sb, previous, a.Code);
            Folded(sb, "Code", a.Code, open: false);
        }
        sb.Append("</section>\n");
    }

    private static void WriteDiff(StringBuilder sb, Store.AttemptRecord previous, string code)
    {
        sb.Append("<details open><summary>Diff against attempt ").Append(previous.Index).Append(" of this chain</summary>");
        if (previous.Code is null)
        {
            sb.Append("<p class=\"note\">Attempt ").Append(previous.Index).Append(" had no code.</p></details>\n");
            return;
        }
        var lines = LineDiff.Compute(previous.Code, code);
        if (lines is null)
        {
            sb.Append("<p class=\"note\">Too large to diff here; both attempts' code is shown in full.</p></details>\n");
            return;
        }
        var added = lines.Count(l => l.Kind == LineDiff.Kind.Added);
        var removed = lines.Count(l => l.Kind == LineDiff.Kind.Removed);
        sb.Append("<p class=\"note\">").Append(added).Append(" line(s) added, ").Append(removed).Append(" removed.</p><pre class=\"diff\">");
        foreach (var l in lines)
        {
            var (cls, mark) = l.Kind switch { LineDiff.Kind.Added => ("add", "+ "), LineDiff.Kind.Removed => ("del", "- "), _ => ("same", "  ") };
            sb.Append("<span class=\"").Append(cls).Append("\">").Append(mark).Append(E(l.Text)).Append("</span>");
        }
        sb.Append("</pre></details>\n");
    }

    public static void Folded(StringBuilder sb, string title, string? text, bool open)
    {
        if (text is null)
            return;
        sb.Append(open ? "<details open>" : "<details>").Append("<summary>").Append(E(title)).Append(" (")
          .Append(text.Length.ToString("N0", CultureInfo.InvariantCulture)).Append(" characters)</summary><pre>").Append(E(text)).Append("</pre></details>\n");
    }

    private static string Timing(TimingSummary? s) => s is null ? "–" :
        $"{Ms(s.MeanMs)} ms mean, 95% CI [{Ms(s.CiLowerMs)}, {Ms(s.CiUpperMs)}] ms, {s.Trials} trials";

    private static string Count(int? n) => n?.ToString("N0", CultureInfo.InvariantCulture) ?? "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
