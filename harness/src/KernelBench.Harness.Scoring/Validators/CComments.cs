namespace KernelBench.Harness.Scoring.Validators;

/// <summary>Blanks `//` and `/* */` comments in C/C++/CUDA text, keeping its length and newlines so lines still map.</summary>
internal static class CComments
{
    public static string Blank(string text)
    {
        var chars = text.ToCharArray();
        var i = 0;
        var inLiteral = false;
        while (i < chars.Length - 1)
        {
            var c = chars[i];
            if (c == '"' && (i == 0 || chars[i - 1] != '\\'))
                inLiteral = !inLiteral;
            if (c == '\n')
                inLiteral = false;
            if (!inLiteral && c == '/' && chars[i + 1] == '/')
            {
                while (i < chars.Length && chars[i] != '\n')
                    chars[i++] = ' ';
                continue;
            }
            if (!inLiteral && c == '/' && chars[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? chars.Length : end + 2;
                for (; i < end; i++)
                    if (chars[i] is not ('\n' or '\r'))
                        chars[i] = ' ';
                continue;
            }
            i++;
        }
        return new string(chars);
    }
}
