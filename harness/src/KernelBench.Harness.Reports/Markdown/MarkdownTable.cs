using System.Text;

namespace KernelBench.Harness.Reports.Markdown;

/// <summary>A GitHub-flavoured Markdown table; cells are escaped so a '|' in a name cannot break the row.</summary>
public static class MarkdownTable
{
    public static void Write(StringBuilder sb, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        sb.Append("| ").AppendJoin(" | ", header.Select(Escape)).Append(" |\n");
        sb.Append('|').AppendJoin('|', header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
            sb.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        sb.Append('\n');
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}
