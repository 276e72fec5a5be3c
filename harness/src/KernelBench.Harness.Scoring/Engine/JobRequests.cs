using System.Text.Json.Nodes;
using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>The worker's job messages, built as JSON nodes (no reflection, so a trimmed single-file harness still works).</summary>
public static class JobRequests
{
    /// <param name="problemPath">The problem whose source runs before the candidate's in its module (KernelBench's
    /// namespace); null: the candidate alone.</param>
    public static JsonObject Build(string candidateKey, string candidatePath, string? extensionsDir, string sandbox = "auto", string? problemPath = null) => new()
    {
        ["job"] = "build", ["candidate_key"] = candidateKey, ["candidate_path"] = candidatePath,
        ["extensions_dir"] = extensionsDir, ["sandbox"] = sandbox, ["problem_path"] = problemPath,
    };

    public static JsonObject Reference(Problem problem, EvalSettings s, string refKey) => Measure("reference", problem, s, refKey);

    /// <summary>A check; when this worker did not build the candidate it imports it again, loading its extensions from
    /// <paramref name="extensionsDir"/> (where a build worker left them).</summary>
    public static JsonObject Check(Problem problem, EvalSettings s, string refKey, string candidateKey, string candidatePath, string? extensionsDir = null)
    {
        var request = Measure("check", problem, s, refKey);
        request["candidate_key"] = candidateKey;
        request["candidate_path"] = candidatePath;
        request["extensions_dir"] = extensionsDir;
        return request;
    }

    private static JsonObject Measure(string job, Problem problem, EvalSettings s, string refKey) => new()
    {
        ["job"] = job, ["problem_path"] = problem.Path, ["ref_key"] = refKey, ["device"] = s.Device,
        ["precision"] = s.Precision, ["seed"] = s.Seed, ["correctness_trials"] = s.CorrectnessTrials,
        ["perf_trials"] = s.PerfTrials, ["warmup"] = s.WarmupRuns, ["timing_method"] = s.TimingMethod, ["timing_order"] = s.TimingOrder,
        ["atol"] = s.Atol, ["rtol"] = s.Rtol, ["measure_performance"] = s.MeasurePerformance, ["inputs"] = s.Inputs,
        ["sandbox"] = s.Sandbox, ["policy"] = s.Policy,
        // A kernel is asked for unless the candidates are plain PyTorch (no_custom_kernel is measured on a GPU only).
        ["expects_kernel"] = s.Backend is "cuda" or "triton",
    };

    /// <summary>Names one reference measurement: same problem version, device, settings and software give the same outputs.</summary>
    public static string ReferenceKey(Problem problem, EvalSettings s, string torchVersion) =>
        string.Join('|', problem.Sha256, s.Device, s.Precision, s.Seed, s.CorrectnessTrials, s.PerfTrials, s.WarmupRuns,
            s.TimingMethod, s.TimingOrder, s.MeasurePerformance, s.Inputs, torchVersion);
}
