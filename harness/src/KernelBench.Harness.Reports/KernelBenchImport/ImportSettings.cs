using System.Text.Json.Nodes;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>
/// An import's settings, never invented: tolerance and precision from the command line, else from the results' metadata
/// (newer KernelBench versions record them), else unknown; timing labelled by where each time came from.
/// </summary>
public static class ImportSettings
{
    public const string TimingMethod = "KernelBench eval_results runtime";

    public static ImportedSettings From(ImportOptions options, IReadOnlyList<JsonObject> results, Baseline? baseline, string samplePolicy,
        int perfTrials, string runGpu, List<string> warnings)
    {
        var ownReference = results.Any(r => Num(r["ref_runtime"]) is > 0);
        var sources = new List<string>();
        if (ownReference)
            sources.Add("reference timed in the same KernelBench run (ref_runtime)");
        if (baseline is not null)
        {
            var gpu = baseline.Hardware.Length > 0 ? baseline.Hardware : "GPU unknown";
            var torch = baseline.TorchVersion.Length > 0 ? $"torch {baseline.TorchVersion}" : "torch version unknown";
            sources.Add($"baseline file {baseline.Source} ({gpu}, {torch})");
            if (baseline.Hardware.Length > 0 && runGpu.Length > 0 && baseline.Hardware != runGpu)
                warnings.Add($"the baseline was measured on {baseline.Hardware}, the run on {runGpu}: speedups compare times from two GPUs.");
        }
        return new ImportedSettings
        {
            Atol = options.Atol ?? Metadata(results, "atol"),
            Rtol = options.Rtol ?? Metadata(results, "rtol"),
            Precision = options.Precision ?? results.Select(r => (r["metadata"]?["precision"] as JsonValue)?.ToString()).FirstOrDefault(p => p is { Length: > 0 }) ?? "",
            TimingMethod = TimingMethod,
            // KernelBench times the reference apart from the candidate (another process or machine for a baseline file).
            TimingOrder = sources.Count > 0 ? "separate" : "",
            BaselineSource = string.Join(" + ", sources),
            SamplePolicy = samplePolicy,
            PerfTrials = perfTrials > 0 ? perfTrials : null,
        };
    }

    private static double? Metadata(IReadOnlyList<JsonObject> results, string name) =>
        results.Select(r => Num(r["metadata"]?[name])).FirstOrDefault(v => v is not null);

    private static double? Num(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
