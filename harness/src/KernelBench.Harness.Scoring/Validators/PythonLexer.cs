namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Just enough of Python's lexer to tell code, comments, value strings and docstrings apart. Not a parser: it tracks
/// bracket depth and whether a logical line has started, which is what decides if a string is a docstring (an expression
/// statement of its own) or a value such as `cuda_source = """..."""`.
/// </summary>
internal static class PythonLexer
{
    public static T Split<T>(string source, Func<string, string, string, T> create)
    {
        var code = source.ToCharArray();
        var embedded = Blank(source);
        var depth = 0;
        var lineHasCode = false;
        var lastSignificant = '\n';
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '#')
            {
                var end = source.IndexOf('\n', i);
                end = end < 0 ? source.Length : end;
                BlankRange(code, i, end);
                i = end;
                continue;
            }
            if (StringStart(source, i) is { } s)
            {
                var (contentEnd, close) = StringEnd(source, s.ContentStart, s.Quote, s.Triple);
                var docstring = depth == 0 && !lineHasCode && lastSignificant is not ('=' or '\\' or '+' or ',');
                BlankRange(code, s.ContentStart, contentEnd);
                if (!docstring)
                    for (var k = s.ContentStart; k < contentEnd; k++)
                        embedded[k] = source[k];
                lineHasCode = true;
                lastSignificant = '"';
                i = close;
                continue;
            }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth = Math.Max(0, depth - 1);
            if (c == '\n')
            {
                if (depth == 0 && lastSignificant != '\\')
                    lineHasCode = false;
            }
            else if (!char.IsWhiteSpace(c))
            {
                lineHasCode = true;
                lastSignificant = c;
            }
            i++;
        }
        return create(source, new string(code), CComments.Blank(new string(embedded)));
    }

    private static char[] Blank(string source) => source.Select(c => c is '\n' or '\r' ? c : ' ').ToArray();

    private static void BlankRange(char[] text, int start, int end)
    {
        for (var k = start; k < end; k++)
            if (text[k] is not ('\n' or '\r'))
                text[k] = ' ';
    }

    private sealed record StringOpen(int ContentStart, char Quote, bool Triple);

    // A string starts at a quote, or at a prefix (r, b, u, f, rb, br, fr, rf) that is not the tail of a longer name.
    private static StringOpen? StringStart(string s, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_'))
            return null;
        var j = i;
        while (j < s.Length && j - i < 2 && "rRbBuUfF".Contains(s[j]))
            j++;
        if (j >= s.Length || s[j] is not ('\'' or '"'))
            return null;
        var quote = s[j];
        var triple = j + 2 < s.Length && s[j + 1] == quote && s[j + 2] == quote;
        return new StringOpen(j + (triple ? 3 : 1), quote, triple);
    }

    // Returns where the content ends and where scanning resumes (after the closing quote).
    private static (int ContentEnd, int Resume) StringEnd(string s, int k, char quote, bool triple)
    {
        while (k < s.Length)
        {
            var c = s[k];
            if (c == '\\' && k + 1 < s.Length)
            {
                // Even a raw string cannot end with an escaped quote, so skipping the next character is right for both.
                k += 2;
                continue;
            }
            if (!triple && c == '\n')
                return (k, k);
            if (c == quote && (!triple || (k + 2 < s.Length && s[k + 1] == quote && s[k + 2] == quote)))
                return (k, k + (triple ? 3 : 1));
            k++;
        }
        return (s.Length, s.Length);
    }
}
