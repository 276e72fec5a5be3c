using System.Globalization;
using System.Net;
using System.Text;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.Html;

/// <summary>
/// A problem's attempts on a wall-clock timeline, one row per chain, each attempt a box from its start to its end, coloured
/// by status and linked to its section below. Inline SVG: no script, no fetch.
/// </summary>
public static class TimelineSvg
{
    private const int Width = 1000, Left = 80, RowHeight = 30, Top = 10;

    public static void Write(StringBuilder sb, IReadOnlyList<TimedAttempt> timeline)
    {
        if (timeline.Count == 0)
            return;
        var t0 = timeline.Min(t => t.Record.StartedAt);
        var span = Math.Max(1e-3, (timeline.Max(t => Max(t.Record.EndedAt, t.Record.StartedAt)) - t0).TotalSeconds);
        var chains = timeline.Select(t => t.Record.Chain).Distinct().Order().ToList();
        var height = Top + chains.Count * RowHeight + 30;
        var plotWidth = Width - Left - 10;
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"attempt timeline\">");
        foreach (var (chain, row) in chains.Select((c, i) => (c, i)))
        {
            var y = Top + row * RowHeight;
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 18}\">chain {chain}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{y + 13}\" y2=\"{y + 13}\" stroke=\"#ddd\"/>");
            foreach (var t in timeline.Where(t => t.Record.Chain == chain))
            {
                var a = t.Record;
                var x = Left + (a.StartedAt - t0).TotalSeconds / span * plotWidth;
                var w = Math.Max(4, (Max(a.EndedAt, a.StartedAt) - a.StartedAt).TotalSeconds / span * plotWidth);
                var tip = $"chain {a.Chain} attempt {a.Index}: {a.Status}, started +{Format.Duration((a.StartedAt - t0).TotalSeconds)}, " +
                          $"charged {Format.Duration(a.ChargedSeconds)}, budget clock {Format.Duration(t.BudgetSeconds)}";
                sb.Append(CultureInfo.InvariantCulture, $"<a href=\"#{AttemptSection.Anchor(a)}\"><rect x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{w:0.#}\" height=\"20\" rx=\"3\" fill=\"{Colour(a.Status)}\" stroke=\"#fff\"><title>{WebUtility.HtmlEncode(tip)}</title></rect>");
                if (w >= 18)
                    sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 4:0.#}\" y=\"{y + 17}\" fill=\"#fff\">{a.Index}</text>");
                sb.Append("</a>");
            }
        }
        var axisY = Top + chains.Count * RowHeight + 15;
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{axisY}\">0</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth}\" y=\"{axisY}\" text-anchor=\"end\">+{WebUtility.HtmlEncode(Format.Duration(span))} (wall clock)</text>");
        sb.Append("</svg>\n<p class=\"note\">Each box is one attempt (its index in the chain), from start to end on the wall clock; its colour is its status: ");
        foreach (var status in timeline.Select(t => t.Record.Status).Distinct().Order(StringComparer.Ordinal))
            sb.Append("<span class=\"status ").Append(StatusClass(status)).Append("\">").Append(WebUtility.HtmlEncode(status)).Append("</span> ");
        sb.Append("</p>\n");
    }

    public static string StatusClass(string status) =>
        status is "correct" or "incorrect" or "compile_error" or "runtime_error" or "timeout" ? "s-" + status : "s-other";

    private static string Colour(string status) => status switch
    {
        "correct" => "#2a8a46",
        "incorrect" => "#d98a1c",
        "compile_error" => "#c62828",
        "runtime_error" => "#a0306a",
        "timeout" => "#6b4fbb",
        _ => "#777",
    };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
