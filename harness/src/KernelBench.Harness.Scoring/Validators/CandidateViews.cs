using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// A candidate's Python text split into two same-length views, so a match in either maps back to a line of the file:
/// <see cref="Code"/> is the Python with comments and every string's content blanked (a `torch.cuda.synchronize = ...`
/// inside a CUDA string or a docstring is not Python); <see cref="Embedded"/> keeps only the contents of strings that
/// are values (the CUDA/C++ sources), with C comments blanked. Docstrings are in neither view: candidates often paste
/// the reference problem's text there, and words in it say nothing about what the code does.
/// </summary>
public sealed class CandidateViews
{
    private readonly int[] _lineStarts;

    private CandidateViews(string original, string code, string embedded)
    {
        Original = original;
        Code = code;
        Embedded = embedded;
        _lineStarts = [0, .. original.Select((c, i) => (c, i)).Where(t => t.c == '\n').Select(t => t.i + 1)];
    }

    public string Original { get; }

    /// <summary>Python code only: comments and string contents replaced by spaces, newlines kept.</summary>
    public string Code { get; }

    /// <summary>Contents of value strings (CUDA/C++ sources), C comments removed; everything else spaces, newlines kept.</summary>
    public string Embedded { get; }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CandidateContext, CandidateViews> Parsed = new();

    public static CandidateViews Parse(string source) => PythonLexer.Split(source, (o, c, e) => new CandidateViews(o, c, e));

    /// <summary>The parsed source of a candidate, parsed once however many validators ask.</summary>
    public static CandidateViews Of(CandidateContext candidate) => Parsed.GetValue(candidate, c => Parse(c.Source));

    /// <summary>1-based line of a character index.</summary>
    public int LineOf(int index)
    {
        var found = Array.BinarySearch(_lineStarts, index);
        return (found >= 0 ? found : ~found - 1) + 1;
    }

    /// <summary>The first match of <paramref name="pattern"/> in the Python code, or null.</summary>
    public Hit? FindInCode(Regex pattern, int start = 0, int end = -1) => Find(Code, pattern, start, end);

    /// <summary>The first match of <paramref name="pattern"/> in the embedded CUDA/C++ sources, or null.</summary>
    public Hit? FindInEmbedded(Regex pattern) => Find(Embedded, pattern, 0, -1);

    /// <summary>The span [start, end) of a top-level or nested class body in <see cref="Code"/>, or null when absent.</summary>
    public (int Start, int End, string Bases)? ClassBody(string name)
    {
        var header = new Regex($@"^(?<indent>[ \t]*)class[ \t]+{Regex.Escape(name)}\b(?:[ \t]*\((?<bases>[^)]*)\))?[ \t]*:", RegexOptions.Multiline);
        var m = header.Match(Code);
        if (!m.Success)
            return null;
        var end = IndentedBlockEnd(m.Index + m.Length, m.Groups["indent"].Value.Length);
        return (m.Index + m.Length, end, m.Groups["bases"].Value.Trim());
    }

    /// <summary>The span [start, end) of method <paramref name="method"/> inside class <paramref name="className"/>, or null.</summary>
    public (int Start, int End)? MethodBody(string className, string method)
    {
        if (ClassBody(className) is not { } cls)
            return null;
        var header = new Regex($@"^(?<indent>[ \t]*)def[ \t]+{Regex.Escape(method)}[ \t]*\(", RegexOptions.Multiline);
        var m = header.Match(Code, cls.Start, cls.End - cls.Start);
        if (!m.Success)
            return null;
        // The signature may span lines; the body starts after the ':' that closes it at bracket depth 0.
        var colon = SignatureEnd(m.Index + m.Length - 1);
        return (colon, Math.Min(cls.End, IndentedBlockEnd(colon, m.Groups["indent"].Value.Length)));
    }

    private int SignatureEnd(int openParen)
    {
        var depth = 0;
        for (var i = openParen; i < Code.Length; i++)
        {
            var c = Code[i];
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == ':' && depth == 0) return i + 1;
        }
        return Code.Length;
    }

    // A block ends at the first non-blank line indented no deeper than its header.
    private int IndentedBlockEnd(int afterHeader, int headerIndent)
    {
        var lineStart = Code.IndexOf('\n', afterHeader);
        while (lineStart >= 0)
        {
            var next = lineStart + 1;
            var indent = 0;
            while (next + indent < Code.Length && Code[next + indent] is ' ' or '\t')
                indent++;
            var rest = next + indent;
            if (rest < Code.Length && Code[rest] != '\n' && Code[rest] != '\r' && indent <= headerIndent)
                return next;
            lineStart = Code.IndexOf('\n', next);
        }
        return Code.Length;
    }

    private Hit? Find(string text, Regex pattern, int start, int end)
    {
        var length = (end < 0 ? text.Length : end) - start;
        var m = pattern.Match(text, start, length);
        return m.Success ? new Hit(m.Value.Trim(), LineOf(m.Index)) : null;
    }

    /// <summary>One match: the text that matched and its 1-based line in the candidate file.</summary>
    public sealed record Hit(string Text, int Line);
}
