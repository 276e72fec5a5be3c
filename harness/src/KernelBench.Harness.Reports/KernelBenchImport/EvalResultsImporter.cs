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
/// (mean, std, min, max, num_trials, hardware). Each scored sample becomes one attempt (chain = sample id) with no charged
/// time, so only the attempts axis of the budget curve means anything. KernelBench's rules by default
/// (scripts/benchmark_eval_analysis.py): sample 0 only, and the level's problems (the baseline file's section) as the
/// denominator, a missing one counting as a failure; each departure or gap is a warning.
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
        var warnings = new List<string>();
        var level = options.Level ?? LevelFromKernelFiles(folder);
        if (level is null)
        {
            problems.Add($"{folder}: no level_N_problem_* kernel files and no --level; reported as level 1.");
            level = 1;
        }
        var baseline = options.BaselinePath is null ? null : Baseline.Load(options.BaselinePath, level.Value);
        var results = new List<(int Id, int Sample, JsonObject Result)>();
        foreach (var (key, value) in root)
        {
            if (!int.TryParse(key, out var id) || value is null)
            {
                problems.Add($"{path}: entry '{key}' is not a problem id; skipped.");
                continue;
            }
            results.AddRange(Samples(value).Select(s => (id, s.Sample, s.Result)));
        }
        var best = options.Samples == ImportOptions.BestOfN;
        var scored = best ? results : results.Where(r => r.Sample == 0).ToList();
        var attempts = scored.Select(r => SampleAttempt.From(level.Value, r.Id, r.Sample, r.Result, baseline?.For(r.Id))).ToList();
        var maxSamples = results.GroupBy(r => r.Id).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        if (maxSamples > 1)
            warnings.Add(best
                ? $"best of up to {maxSamples} samples per problem (--samples best); KernelBench scores sample 0 only."
                : $"{Problems(results.GroupBy(r => r.Id).Count(g => g.Count() > 1))} have several samples (up to {maxSamples}); " +
                  "sample 0 is scored, as KernelBench does (--samples best scores the best of them).");

        var keys = Denominator(level.Value, attempts, results, baseline, best, warnings);
        var gpu = attempts.Select(a => a.Verdict?.Environment?.GpuName).FirstOrDefault(g => !string.IsNullOrEmpty(g)) ?? "";
        var settings = ImportSettings.From(options, results.Select(r => r.Result).ToList(), baseline, best ? $"best of {maxSamples}" : "sample 0",
            attempts.Select(a => a.Verdict?.Runtime?.Trials ?? 0).DefaultIfEmpty(0).Max(), gpu, warnings);
        var manifest = new RunManifest
        {
            RunId = Path.GetFileName(folder),
            Kind = "kernelbench",
            Gpu = gpu,
            Strategy = "kernelbench eval_from_generations",
            ProblemKeys = keys,
        };
        // KernelBench has no pytorch_only/pytorch_wrap check, so nothing is left out of the real-kernels track: say so.
        warnings.Add("KernelBench records no pytorch_only/pytorch_wrap flags, so the real-kernels track counts every correct answer.");
        var names = baseline?.Ids.ToDictionary(id => new ProblemKey(level.Value, id), id => baseline.For(id)!.Value.Name)
                    ?? new Dictionary<ProblemKey, string>();
        return new RunData(folder, manifest, attempts, problems) { Warnings = warnings, Imported = settings, ProblemNames = names };
    }

    // The level's problems when the baseline file lists them (KernelBench's denominator), else only the file's.
    private static List<string> Denominator(int level, List<AttemptRecord> attempts, List<(int Id, int Sample, JsonObject Result)> results,
        Baseline? baseline, bool best, List<string> warnings)
    {
        var scoredIds = attempts.Select(a => a.ProblemId).ToHashSet();
        var fileIds = results.Select(r => r.Id).ToHashSet();
        if (!best && fileIds.Except(scoredIds).Count() is > 0 and var noZero)
            warnings.Add($"{Problems(noZero)} have no sample 0; counted as failures, as KernelBench does.");
        if (baseline is null)
        {
            warnings.Add($"no --baseline: the level's problem list is unknown, so shares divide by the {fileIds.Count} problems in the file " +
                         "(KernelBench divides by the whole level).");
            return fileIds.Order().Select(id => $"L{level}/{id}").ToList();
        }
        var levelIds = baseline.Ids.ToHashSet();
        var missing = levelIds.Except(fileIds).Count();
        if (missing > 0)
            warnings.Add($"{missing} of the level's {levelIds.Count} problems (listed in {baseline.Source}) have no result in " +
                         $"{FileName}; counted as failures, as KernelBench does.");
        if (fileIds.Except(levelIds).Count() is > 0 and var extra)
            warnings.Add($"{Problems(extra)} of {FileName} are not in {baseline.Source}'s level {level}; they have no reference time.");
        return levelIds.Union(fileIds).Order().Select(id => $"L{level}/{id}").ToList();
    }

    private static string Problems(int n) => n == 1 ? "1 problem" : $"{n} problems";

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
