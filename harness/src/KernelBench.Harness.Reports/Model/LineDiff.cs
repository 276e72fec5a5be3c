namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// A line diff of two texts (longest common subsequence of lines), for showing what an attempt changed against the one
/// before it in its chain. Texts too large for the quadratic table are not diffed: the caller says so instead.
/// </summary>
public static class LineDiff
{
    public enum Kind { Same, Removed, Added }

    public readonly record struct Line(Kind Kind, string Text);

    /// <summary>Lines × lines above this are not diffed (the table would cost too much memory).</summary>
    public const long MaxCells = 4_000_000;

    /// <summary>The diff, or null when the texts are too large to diff.</summary>
    public static IReadOnlyList<Line>? Compute(string before, string after)
    {
        var a = Split(before);
        var b = Split(after);
        // Common head and tail cost nothing and usually leave a small middle.
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
            head++;
        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
            tail++;
        var midA = a[head..(a.Length - tail)];
        var midB = b[head..(b.Length - tail)];
        if ((long)(midA.Length + 1) * (midB.Length + 1) > MaxCells)
            return null;
        var result = a[..head].Select(l => new Line(Kind.Same, l)).ToList();
        result.AddRange(Middle(midA, midB));
        result.AddRange(a[(a.Length - tail)..].Select(l => new Line(Kind.Same, l)));
        return result;
    }

    private static IEnumerable<Line> Middle(string[] a, string[] b)
    {
        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                yield return new Line(Kind.Same, a[x++]);
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
                yield return new Line(Kind.Removed, a[x++]);
            else
                yield return new Line(Kind.Added, b[y++]);
        }
        while (x < a.Length)
            yield return new Line(Kind.Removed, a[x++]);
        while (y < b.Length)
            yield return new Line(Kind.Added, b[y++]);
    }

    private static string[] Split(string text) => text.Length == 0 ? [] : text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
}
