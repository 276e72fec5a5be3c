using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Reports.Model;
using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>
/// A KernelBench baseline timing file: {"level1": {"19_ReLU.py": {"mean", "std", "min", "max", "num_trials", "hardware"}}}.
/// Problems are matched by the id before the first '_' of the file name. The level's section lists all its problems, so
/// it also gives the level's denominator (KernelBench counts a problem without a result as a failure).
/// </summary>
public sealed class Baseline(IReadOnlyDictionary<int, (string Name, TimingSummary Timing)> byId)
{
    public (string Name, TimingSummary Timing)? For(int id) => byId.TryGetValue(id, out var t) ? t : null;

    public IReadOnlyCollection<int> Ids => byId.Keys.Order().ToList();

    /// <summary>"H100_Modal/baseline_time_torch.json": the file's folder and name, the same on every machine.</summary>
    public string Source { get; private init; } = "";

    /// <summary>The GPU its entries name ("hardware"; several joined by " + "), "" when none does.</summary>
    public string Hardware { get; private init; } = "";

    /// <summary>The torch version, where the file records one ("torch_version" in an entry or at the top); else "".</summary>
    public string TorchVersion { get; private init; } = "";

    /// <summary>Every levelN section of a baseline file, by problem: for the torch.compile reference columns.</summary>
    public static IReadOnlyDictionary<ProblemKey, TimingSummary> LoadAllLevels(string path)
    {
        var root = ReadRoot(path);
        var levels = root?.Where(kv => kv.Key.StartsWith("level", StringComparison.Ordinal) && int.TryParse(kv.Key[5..], out _)).ToList() ?? [];
        if (levels.Count == 0)
            throw new ReportInputException($"{path}: not a KernelBench baseline timing file (no \"levelN\" section).");
        var map = new Dictionary<ProblemKey, TimingSummary>();
        foreach (var (name, node) in levels)
        {
            var level = int.Parse(name[5..], System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (id, (_, timing)) in Section(path, level, node))
                map[new ProblemKey(level, id)] = timing;
        }
        return map;
    }

    public static Baseline Load(string path, int level)
    {
        var root = ReadRoot(path);
        var section = root?[$"level{level}"];
        var entries = (section as JsonObject)?.Select(kv => kv.Value as JsonObject).OfType<JsonObject>().ToList() ?? [];
        var full = Path.GetFullPath(path);
        return new Baseline(Section(path, level, section))
        {
            Source = $"{Path.GetFileName(Path.GetDirectoryName(full))}/{Path.GetFileName(full)}",
            Hardware = string.Join(" + ", entries.Select(e => Text(e["hardware"])).Where(h => h.Length > 0).Distinct()),
            TorchVersion = Text(root?["torch_version"]) is { Length: > 0 } t ? t
                : entries.Select(e => Text(e["torch_version"])).FirstOrDefault(v => v.Length > 0) ?? "",
        };
    }

    private static string Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static JsonObject? ReadRoot(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ReportInputException($"{path}: not a KernelBench baseline timing file ({e.Message}).");
        }
    }

    // One "levelN" section: problem id (the number before the first '_' of its file name) -> file name and timing.
    private static Dictionary<int, (string, TimingSummary)> Section(string path, int level, JsonNode? node)
    {
        if (node is not JsonObject levelNode)
            throw new ReportInputException($"{path}: no \"level{level}\" section.");
        var map = new Dictionary<int, (string, TimingSummary)>();
        foreach (var (file, stats) in levelNode)
        {
            var prefix = file.Split('_')[0];
            if (int.TryParse(prefix, out var id) && SampleAttempt.Timing(stats as JsonObject, null) is { } timing)
                map[id] = (Path.GetFileNameWithoutExtension(file), timing);
        }
        return map;
    }
}
