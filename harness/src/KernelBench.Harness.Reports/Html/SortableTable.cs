using System.Net;
using System.Text;

namespace KernelBench.Harness.Reports.Html;

/// <summary>One cell: its text (encoded here) or ready HTML, an optional sort key, and whether it is a number or may wrap anywhere.</summary>
public sealed record Cell(string Text, string? Sort = null, bool Numeric = false, bool Wrap = false, string? Href = null)
{
    public static implicit operator Cell(string text) => new(text);
}

/// <summary>A table whose headers sort it in the browser (see <see cref="PageAssets.Script"/>); every cell is encoded.</summary>
public static class SortableTable
{
    public static void Write(StringBuilder sb, string id, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<Cell>> rows)
    {
        sb.Append("<table class=\"sortable\" id=\"").Append(WebUtility.HtmlEncode(id)).Append("\"><thead><tr>");
        foreach (var h in header)
            sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var c in row)
            {
                sb.Append("<td");
                if (c.Numeric || c.Wrap)
                    sb.Append(" class=\"").Append(c.Numeric ? "num" : "wrap").Append('"');
                if (c.Sort is not null)
                    sb.Append(" data-sort=\"").Append(WebUtility.HtmlEncode(c.Sort)).Append('"');
                sb.Append('>');
                if (c.Href is not null)
                    sb.Append("<a href=\"").Append(WebUtility.HtmlEncode(c.Href)).Append("\">").Append(WebUtility.HtmlEncode(c.Text)).Append("</a>");
                else
                    sb.Append(WebUtility.HtmlEncode(c.Text));
                sb.Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    /// <summary>A text box and a select over one column that filter the table with that id.</summary>
    public static void WriteFilters(StringBuilder sb, string id, int column, string columnName, IEnumerable<string> values)
    {
        var e = WebUtility.HtmlEncode(id);
        sb.Append("<div class=\"filters\"><label>Filter <input type=\"search\" data-filter=\"").Append(e).Append("\" placeholder=\"text in any cell\"></label>")
          .Append("<label>").Append(WebUtility.HtmlEncode(columnName)).Append(" <select data-filter=\"").Append(e).Append("\" data-filter-col=\"")
          .Append(column).Append("\"><option value=\"\">any</option>");
        foreach (var v in values.Distinct().Order(StringComparer.Ordinal))
            sb.Append("<option>").Append(WebUtility.HtmlEncode(v)).Append("</option>");
        sb.Append("</select></label></div>\n");
    }

    public static string Sort(double? x) => x is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "";
}
