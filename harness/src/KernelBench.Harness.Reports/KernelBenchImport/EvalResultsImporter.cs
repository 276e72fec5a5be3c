using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KernelBench.Harness.Reports.Model;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>
/// Reads KernelBench's eval_results.json (written by its scripts/eval_from_generations.py) as a run, so published runs
/// share the report and the leaderboard. The file maps a problem id to one result, a list of results, or a map from sample
/// id to result; a result has compiled, correctness, metadata, runtime (mean ms, -1 when not timed) and runtime_stats
/// (mean, std, min, max, num_trials, hardware). Each sample becomes one attempt (chain = sample id) with no charged time,
/// so only the attempts axis of the budget curve means anything. Tolerance is KernelBench's default (atol = rtol = 1e-2).
/// </summary>
public static partial class EvalResultsImporter
{
    public const string FileName = "eval_results.json";

    public static RunData Read(string path, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty file");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ReportInputException($"{path}: not a KernelBench eval_results.json ({e.Message}).");
        }
        var problems = new List<string>();
        var level = options.Level ?? LevelFromKernelFiles(folder);
        if (level is null)
        {
            problems.Add($"{folder}: no level_N_problem_* kernel files and no --level; reported as level 1.");
            level = 1;
        }
        var baseline = options.BaselinePath is null ? null : Baseline.Load(options.BaselinePath, level.Value);
        var attempts = new List<AttemptRecord>();
        foreach (var (key, value) in root)
        {
            if (!int.TryParse(key, out var id) || value is null)
            {
                problems.Add($"{path}: entry '{key}' is not a problem id; skipped.");
                continue;
            }
            foreach (var (sample, result) in Samples(value))
                attempts.Add(SampleAttempt.From(level.Value, id, sample, result, baseline?.For(id)));
        }
        var gpu = attempts.Select(a => a.Verdict?.Environment?.GpuName).FirstOrDefault(g => !string.IsNullOrEmpty(g)) ?? "";
        var manifest = new RunManifest
        {
            RunId = Path.GetFileName(folder),
            Kind = "kernelbench",
            Gpu = gpu,
            Strategy = "kernelbench eval_from_generations",
            ProblemKeys = attempts.Select(a => a.ProblemKey).Distinct().ToList(),
            EvalSettings = new EvalSettings { Atol = 1e-2, Rtol = 1e-2, Device = "cuda", PerfTrials = attempts.Select(a => a.Verdict?.Runtime?.Trials ?? 0).DefaultIfEmpty(0).Max() },
        };
        return new RunData(folder, manifest, attempts, problems);
    }

    private static IEnumerable<(int Sample, JsonObject Result)> Samples(JsonNode value)
    {
        switch (value)
        {
            case JsonArray list:
                foreach (var (item, i) in list.Select((n, i) => (n, i)))
                    if (item is JsonObject o)
                        yield return (SampleId(o) ?? i, o);
                break;
            case JsonObject o when o.ContainsKey("correctness") || o.ContainsKey("compiled"):
                yield return (SampleId(o) ?? 0, o);
                break;
            case JsonObject bySample:
                foreach (var (k, v) in bySample)
                    if (v is JsonObject o)
                        yield return (SampleId(o) ?? (int.TryParse(k, out var s) ? s : 0), o);
                break;
        }
    }

    private static int? SampleId(JsonObject o) => o["sample_id"] is JsonValue v && v.TryGetValue<int>(out var s) ? s : null;

    private static int? LevelFromKernelFiles(string folder) =>
        Directory.EnumerateFiles(folder, "level_*_problem_*.py").Select(f => KernelFile().Match(Path.GetFileName(f)))
            .Where(m => m.Success).Select(m => (int?)int.Parse(m.Groups[1].Value)).FirstOrDefault();

    [GeneratedRegex(@"^level_(\d+)_problem_\d+_sample_\d+_kernel\.py$")]
    private static partial Regex KernelFile();
}
