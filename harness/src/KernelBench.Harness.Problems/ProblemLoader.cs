using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelBench.Harness.Problems;

/// <summary>
/// Reads KernelBench problem files. Accepts the folder that holds KernelBench/, KernelBench/ itself, or one level folder.
/// A file that cannot be taken is reported in <see cref="ProblemSet.Errors"/> with its path and why; the rest still load.
/// </summary>
public static partial class ProblemLoader
{
    /// <summary>Names every problem file must define for the evaluator to build and feed the reference.</summary>
    public static readonly IReadOnlyList<string> RequiredDefinitions = ["Model", "get_inputs", "get_init_inputs"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Loads every level folder under <paramref name="root"/>; throws <see cref="BadInputException"/> when it holds none.</summary>
    public static ProblemSet Load(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new BadInputException($"{root}: KernelBench folder not found.");
        var levels = FindLevelFolders(full);
        if (levels.Count == 0)
            throw new BadInputException(
                $"{root}: no KernelBench level folders found (expected KernelBench/level1..level4, level1..level4, or a single levelN folder).");

        var problems = new List<Problem>();
        var errors = new List<ProblemLoadError>();
        foreach (var (level, folder) in levels)
            LoadLevel(level, folder, problems, errors);
        return new ProblemSet(full, problems, errors);
    }

    /// <summary>Loads one file as a problem of the given level, or says why it cannot be one.</summary>
    public static (Problem? Problem, ProblemLoadError? Error) LoadFile(int level, string path)
    {
        var fileName = Path.GetFileName(path);
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
            return Fail(path, "malformed file name: expected '<id>_<name>.py' with a numeric id, e.g. '19_ReLU.py'");

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, $"unreadable: {e.Message}");
        }

        string source;
        try
        {
            source = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            return Fail(path, $"not valid UTF-8 (bad byte at offset {e.Index})");
        }
        if (source.Length > 0 && source[0] == '\uFEFF')
            source = source[1..];

        var definitions = PythonDefinitions.Find(source);
        var missing = RequiredDefinitions.Where(d => !definitions.Contains(d)).ToList();
        if (missing.Count > 0)
            return Fail(path, $"missing top-level definition{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}");

        var id = int.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var problem = new Problem(level, id, match.Groups["name"].Value, path, source,
            Convert.ToHexStringLower(SHA256.HashData(bytes)), definitions);
        return (problem, null);
    }

    private static void LoadLevel(int level, string folder, List<Problem> problems, List<ProblemLoadError> errors)
    {
        var loaded = new List<Problem>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.py").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path).StartsWith("__", StringComparison.Ordinal))
                continue; // __init__.py and friends are package plumbing, not problems.
            var (problem, error) = LoadFile(level, path);
            if (error is not null)
                errors.Add(error);
            else
                loaded.Add(problem!);
        }

        // Two files with one id would make results ambiguous: refuse every file of that id, naming the others.
        foreach (var group in loaded.GroupBy(p => p.Id))
        {
            if (group.Count() == 1)
            {
                problems.Add(group.First());
                continue;
            }
            foreach (var p in group)
            {
                var others = string.Join(", ", group.Where(o => o != p).Select(o => Path.GetFileName(o.Path)));
                errors.Add(new ProblemLoadError(p.Path, $"duplicate id {p.Id} in level {level} (also used by {others})"));
            }
        }
    }

    private static List<(int Level, string Folder)> FindLevelFolders(string root)
    {
        var own = LevelFolderPattern().Match(Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)));
        if (own.Success)
            return [(int.Parse(own.Groups["level"].Value, System.Globalization.CultureInfo.InvariantCulture), root)];

        var inner = Path.Combine(root, "KernelBench");
        var parent = Directory.Exists(inner) ? inner : root;
        return Directory.EnumerateDirectories(parent)
            .Select(d => (Match: LevelFolderPattern().Match(Path.GetFileName(d)), Folder: d))
            .Where(x => x.Match.Success)
            .Select(x => (int.Parse(x.Match.Groups["level"].Value, System.Globalization.CultureInfo.InvariantCulture), x.Folder))
            .OrderBy(x => x.Item1)
            .ToList();
    }

    private static (Problem?, ProblemLoadError?) Fail(string path, string reason) => (null, new ProblemLoadError(path, reason));

    [GeneratedRegex(@"^(?<id>\d+)_(?<name>.+)\.py$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^level(?<level>\d+)$")]
    private static partial Regex LevelFolderPattern();
}
