using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>
/// Raw reference times on disk, one file per reference key (problem SHA-256, device, GPU, settings, PyTorch version),
/// so a later run on the same GPU and software reuses them instead of timing the reference again. Outputs are not
/// cached: they are recomputed in the worker, which is cheap next to timing.
/// </summary>
public sealed class ReferenceTimingCache(string folder)
{
    public IReadOnlyList<double>? Get(string key)
    {
        var path = PathOf(key);
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o["key"]?.GetValue<string>() == key && o["times_ms"] is JsonArray times)
                return times.Select(t => t!.GetValue<double>()).ToList();
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or FormatException)
        {
            // missing or unreadable: measure again
        }
        return null;
    }

    public void Put(string key, IReadOnlyList<double> times)
    {
        if (times.Count == 0)
            return;
        Directory.CreateDirectory(folder);
        var array = new JsonArray();
        foreach (var t in times)
            array.Add(t);
        AtomicFile.WriteAllText(PathOf(key), new JsonObject { ["key"] = key, ["times_ms"] = array }.ToJsonString());
    }

    private string PathOf(string key) =>
        Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".json");
}
