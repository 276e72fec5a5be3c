using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Reports.Model;
using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>
/// A KernelBench baseline timing file: {"level1": {"19_ReLU.py": {"mean", "std", "min", "max", "num_trials", "hardware"}}}.
/// Problems are matched by the id before the first '_' of the file name.
/// </summary>
public sealed class Baseline(IReadOnlyDictionary<int, (string Name, TimingSummary Timing)> byId)
{
    public (string Name, TimingSummary Timing)? For(int id) => byId.TryGetValue(id, out var t) ? t : null;

    public static Baseline Load(string path, int level)
    {
        JsonObject? levelNode;
        try
        {
            levelNode = JsonNode.Parse(File.ReadAllText(path))?[$"level{level}"] as JsonObject;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new ReportInputException($"{path}: not a KernelBench baseline timing file ({e.Message}).");
        }
        if (levelNode is null)
            throw new ReportInputException($"{path}: no \"level{level}\" section.");
        var map = new Dictionary<int, (string, TimingSummary)>();
        foreach (var (file, stats) in levelNode)
        {
            var prefix = file.Split('_')[0];
            if (int.TryParse(prefix, out var id) && SampleAttempt.Timing(stats as JsonObject, null) is { } timing)
                map[id] = (Path.GetFileNameWithoutExtension(file), timing);
        }
        return new Baseline(map);
    }
}
