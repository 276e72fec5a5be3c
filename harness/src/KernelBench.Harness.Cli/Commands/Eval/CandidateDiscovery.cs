using System.Text.RegularExpressions;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>One candidate file and the problem it is for.</summary>
public sealed record CandidateFile(int Level, int ProblemId, string Path);

/// <summary>
/// Finds candidates in a folder, in either layout: `level&lt;N&gt;/&lt;id&gt;.py` (this harness) or KernelBench's
/// `level_&lt;L&gt;_problem_&lt;P&gt;_sample_&lt;S&gt;_kernel.py` (anywhere below the folder).
/// </summary>
public static partial class CandidateDiscovery
{
    public static IReadOnlyList<CandidateFile> Find(string folder)
    {
        if (!Directory.Exists(folder))
            throw new KernelBench.Harness.Problems.BadInputException($"{folder}: candidates folder not found.");
        var found = new List<CandidateFile>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.py", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(path);
            var kb = KernelBenchName().Match(name);
            if (kb.Success)
            {
                found.Add(new CandidateFile(Int(kb.Groups["l"].Value), Int(kb.Groups["p"].Value), Path.GetFullPath(path)));
                continue;
            }
            var own = OwnName().Match(name);
            var level = LevelFolder().Match(Path.GetFileName(Path.GetDirectoryName(path)) ?? "");
            if (own.Success && level.Success)
                found.Add(new CandidateFile(Int(level.Groups["l"].Value), Int(own.Groups["p"].Value), Path.GetFullPath(path)));
        }
        return found.OrderBy(c => c.Level).ThenBy(c => c.ProblemId).ThenBy(c => c.Path, StringComparer.Ordinal).ToList();
    }

    private static int Int(string s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^level_(?<l>\d+)_problem_(?<p>\d+)_sample_(?<s>\d+)_kernel\.py$")]
    private static partial Regex KernelBenchName();

    [GeneratedRegex(@"^(?<p>\d+)(_.*)?\.py$")]
    private static partial Regex OwnName();

    [GeneratedRegex(@"^level(?<l>\d+)$")]
    private static partial Regex LevelFolder();
}
