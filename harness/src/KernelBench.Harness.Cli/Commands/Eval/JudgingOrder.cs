using System.Text.Json;
using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// The order `kbh eval --candidates` hands problems to its lanes: the longest first, from what judging each problem took
/// in an earlier run on the same cache. A long problem that starts last keeps one lane busy while the others sit idle
/// (on an H200, L3/2 took 7 s and started last: 2.8 s of a 28 s run with three lanes went to that tail). Problems never
/// judged here go first, in listing order, since they may be long too. The record is a hint: when it is missing or
/// unreadable the listing order stands, and when two runs write it at once one run's record is kept.
/// </summary>
public sealed class JudgingOrder
{
    public const string FileName = "judging-costs.json";

    private readonly string _file;
    private readonly string _device;
    private readonly JsonObject _costs;

    /// <param name="cacheRoot">The run's cache folder (the record sits beside the build cache).</param>
    /// <param name="device">cpu or cuda[:N]: costs on a CPU say nothing about a GPU's.</param>
    public JudgingOrder(string cacheRoot, string device)
    {
        _file = Path.Combine(cacheRoot, FileName);
        _device = device.StartsWith("cuda", StringComparison.Ordinal) ? "cuda" : device;
        _costs = Read(_file);
    }

    /// <summary>Problems (key, problem SHA-256 or null when unknown, how many candidates) in the order to judge them.</summary>
    public IReadOnlyList<T> Order<T>(IReadOnlyList<T> problems, Func<T, (string Key, string? Sha256, int Candidates)> describe)
    {
        double? Estimate(T p)
        {
            var (key, sha, count) = describe(p);
            if (sha is null || _costs[Key(key, sha)] is not JsonObject cost)
                return null;
            return Seconds(cost, "reference_s") + count * Seconds(cost, "check_s");
        }
        // Stable: never judged first in listing order, then the longest first.
        return problems.Select((p, i) => (p, i, cost: Estimate(p)))
            .OrderBy(x => x.cost is null ? 0 : 1).ThenByDescending(x => x.cost ?? 0).ThenBy(x => x.i)
            .Select(x => x.p).ToList();
    }

    /// <summary>Notes what a judged candidate's lane spent on it: the reference (when measured for it) and its own check.</summary>
    public void Record(string problemKey, string problemSha256, Verdict verdict)
    {
        var phases = verdict.PhaseSeconds;
        if (!phases.TryGetValue("check_job", out var check))
            return; // rejected, failed to build, or crashed: nothing says how long a check takes
        lock (_costs)
        {
            var key = Key(problemKey, problemSha256);
            var cost = _costs[key] as JsonObject ?? new JsonObject();
            if (phases.TryGetValue("reference_job", out var reference))
                cost["reference_s"] = Math.Round(reference, 3);
            cost["check_s"] = Math.Round(check + phases.GetValueOrDefault("load_job"), 3);
            _costs[key] = cost;
        }
    }

    /// <summary>Writes the record (atomically: a reader never sees half of it); a write that fails costs only the hint.</summary>
    public void Save()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
            lock (_costs)
                AtomicFile.WriteAllText(_file, _costs.ToJsonString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private string Key(string problemKey, string sha256) => $"{_device}|{problemKey}|{sha256[..Math.Min(16, sha256.Length)]}";

    private static double Seconds(JsonObject cost, string name) =>
        cost[name] is JsonValue v && v.TryGetValue<double>(out var s) && s >= 0 ? s : 0;

    private static JsonObject Read(string file)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }
}
