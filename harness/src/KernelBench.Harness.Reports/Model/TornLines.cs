using System.Globalization;
using System.Text.RegularExpressions;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// Sorts attempts.jsonl's unreadable lines into those that still leave a gap, and those a resumed run redid: a line torn by
/// a kill whose (problem, chain, index) — the first fields of every record — appears again as a complete record later.
/// </summary>
public static partial class TornLines
{
    public static (List<string> Gaps, List<string> Redone) Classify(string attemptsPath, AttemptLog log)
    {
        var gaps = new List<string>();
        var redone = new List<string>();
        if (log.Problems.Count == 0)
            return (gaps, redone);
        var complete = log.Attempts.Select(a => (a.ProblemKey, a.Chain, a.Index)).ToHashSet();
        var texts = ReadLines(attemptsPath, log.Problems.Select(LineNumber).OfType<int>().ToHashSet());
        foreach (var problem in log.Problems)
        {
            var key = LineNumber(problem) is { } n && texts.TryGetValue(n, out var text) ? Key(text) : null;
            if (key is { } k && complete.Contains(k))
                redone.Add($"{problem.Split(": unreadable")[0]}: a torn {k.Item1} chain {k.Item2} attempt {k.Item3 + 1}, redone on resume (counted once).");
            else
                gaps.Add(problem);
        }
        return (gaps, redone);
    }

    private static int? LineNumber(string problem) =>
        LineRef().Match(problem) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static Dictionary<int, string> ReadLines(string path, HashSet<int> wanted)
    {
        var result = new Dictionary<int, string>();
        var n = 0;
        foreach (var line in File.ReadLines(path))
            if (wanted.Contains(++n))
                result[n] = line;
        return result;
    }

    private static (string, int, int)? Key(string text)
    {
        var key = Field().Match(text);
        var chain = Chain().Match(text);
        var index = Index().Match(text);
        if (!key.Success || !chain.Success || !index.Success)
            return null;
        return (key.Groups[1].Value, int.Parse(chain.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(index.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"jsonl:(\d+): unreadable")]
    private static partial Regex LineRef();

    [GeneratedRegex("\"problem_key\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex Field();

    [GeneratedRegex("\"chain\"\\s*:\\s*(\\d+)")]
    private static partial Regex Chain();

    [GeneratedRegex("\"index\"\\s*:\\s*(\\d+)")]
    private static partial Regex Index();
}
