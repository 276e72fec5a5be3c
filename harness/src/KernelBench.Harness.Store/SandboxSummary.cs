using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store;

/// <summary>
/// The candidates' sandbox over a whole run, for finished.json: each part "true" only when every judged candidate had
/// it, the reasons any part was missing, and what capped their host memory. A reader of the run folder sees at once
/// whether any verdict was given outside the sandbox, without reading every attempt.
/// </summary>
public static class SandboxSummary
{
    private static readonly string[] Parts = ["namespaces", "network", "filesystem", "seccomp", "limits"];

    public static Dictionary<string, string> Of(IEnumerable<Verdict?> verdicts)
    {
        var records = verdicts.Where(v => v is { Sandbox.Count: > 0 }).Select(v => v!.Sandbox).ToList();
        var summary = new Dictionary<string, string>(StringComparer.Ordinal) { ["candidates"] = records.Count.ToString() };
        if (records.Count == 0)
            return summary;
        foreach (var part in Parts)
            summary[part] = records.All(r => r.GetValueOrDefault(part) == "true") ? "true" : "false";
        foreach (var (key, value) in records.SelectMany(r => r).Where(p => p.Key.StartsWith("missing.", StringComparison.Ordinal)))
            summary.TryAdd(key, value);
        var caps = records.Select(r => r.GetValueOrDefault("memory_cap") ?? "none: not recorded").Distinct().ToList();
        summary["memory_cap"] = string.Join(" | ", caps);
        return summary;
    }
}
