using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Scoring.Baselines;

/// <summary>
/// KernelBench's published baseline format: {"level1": {"19_ReLU.py": {"mean", "std", "min", "max", "num_trials",
/// "hardware", "device"}}}. Read so speedups can be computed against published baselines; written by `kbh baseline`.
/// </summary>
public sealed class BaselineFile
{
    private readonly SortedDictionary<int, SortedDictionary<string, BaselineEntry>> _levels = new();

    public IEnumerable<(int Level, string FileName, BaselineEntry Entry)> Entries =>
        _levels.SelectMany(l => l.Value.Select(e => (l.Key, e.Key, e.Value)));

    public BaselineEntry? Find(int level, string fileName) =>
        _levels.TryGetValue(level, out var files) && files.TryGetValue(fileName, out var e) ? e : null;

    public void Set(int level, string fileName, BaselineEntry entry)
    {
        if (!_levels.TryGetValue(level, out var files))
            _levels[level] = files = new SortedDictionary<string, BaselineEntry>(StringComparer.Ordinal);
        files[fileName] = entry;
    }

    /// <summary>A baseline as a timing summary (no median or CI is published: mean stands in for the median).</summary>
    public static TimingSummary ToSummary(BaselineEntry e) => new()
    {
        MeanMs = e.Mean, MedianMs = e.Mean, StdMs = e.Std, MinMs = e.Min, MaxMs = e.Max,
        CiLowerMs = e.Mean, CiUpperMs = e.Mean, Trials = e.NumTrials,
    };

    public static BaselineFile Load(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: baseline file not found.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: not valid JSON ({e.Message}).");
        }
        var file = new BaselineFile();
        if (root is not JsonObject levels)
            throw new BadInputException($"{path}: expected an object of levels (\"level1\": {{...}}).");
        foreach (var (levelName, problems) in levels)
        {
            if (!levelName.StartsWith("level", StringComparison.Ordinal) || !int.TryParse(levelName[5..], CultureInfo.InvariantCulture, out var level) || problems is not JsonObject entries)
                throw new BadInputException($"{path}: unexpected key '{levelName}' (expected level1, level2, ...).");
            foreach (var (name, value) in entries)
            {
                if (value is not JsonObject o || o["mean"] is null)
                    throw new BadInputException($"{path}: {levelName}/{name} has no \"mean\".");
                file.Set(level, name, new BaselineEntry(
                    Num(o, "mean"), Num(o, "std"), Num(o, "min"), Num(o, "max"), (int)Num(o, "num_trials"),
                    o["hardware"]?.GetValue<string>() ?? "", o["device"]?.GetValue<string>() ?? ""));
            }
        }
        return file;
    }

    public void Save(string path)
    {
        var root = new JsonObject();
        foreach (var (level, files) in _levels)
        {
            var entries = new JsonObject();
            foreach (var (name, e) in files)
                entries[name] = new JsonObject
                {
                    ["mean"] = Round(e.Mean), ["std"] = Round(e.Std), ["min"] = Round(e.Min), ["max"] = Round(e.Max),
                    ["num_trials"] = e.NumTrials, ["hardware"] = e.Hardware, ["device"] = e.Device,
                };
            root[$"level{level}"] = entries;
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    // KernelBench rounds to three significant digits.
    private static double Round(double value) =>
        value == 0 || !double.IsFinite(value) ? value : Math.Round(value, Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value)))));

    private static double Num(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : 0;
}
