using System.Text.RegularExpressions;

namespace KernelBench.Harness.Problems;

/// <summary>
/// Finds the top-level names a Python file defines, by reading column-0 statements: `class X`, `def f`,
/// `async def f`, and assignments `NAME = ...` / `A, B = ...`. Enough for KernelBench files; no Python is run.
/// </summary>
public static partial class PythonDefinitions
{
    public static IReadOnlyList<string> Find(string source)
    {
        var names = new List<string>();
        var inString = false;
        foreach (var rawLine in source.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            // Skip the inside of top-level triple-quoted strings (module docstrings).
            var quotes = CountTripleQuotes(line);
            var wasInString = inString;
            if (quotes % 2 == 1)
                inString = !inString;
            if (wasInString || line.Length == 0 || char.IsWhiteSpace(line[0]) || line[0] == '#')
                continue;

            var def = DefinitionPattern().Match(line);
            if (def.Success)
            {
                Add(names, def.Groups["name"].Value);
                continue;
            }
            var assign = AssignmentPattern().Match(line);
            if (assign.Success)
                foreach (var target in assign.Groups["targets"].Value.Split(','))
                    Add(names, target.Trim());
        }
        return names;
    }

    private static void Add(List<string> names, string name)
    {
        if (name.Length > 0 && !names.Contains(name))
            names.Add(name);
    }

    private static int CountTripleQuotes(string line) =>
        Regex.Matches(line, "\"\"\"|'''").Count;

    [GeneratedRegex(@"^(?:async\s+)?(?:def|class)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex DefinitionPattern();

    [GeneratedRegex(@"^(?<targets>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)")]
    private static partial Regex AssignmentPattern();
}
