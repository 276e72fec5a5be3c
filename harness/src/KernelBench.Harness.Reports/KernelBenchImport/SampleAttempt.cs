using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.KernelBenchImport;

/// <summary>One KernelBench sample result as an attempt with a verdict; the reference time from the result, else the baseline file.</summary>
public static class SampleAttempt
{
    public static AttemptRecord From(int level, int id, int sample, JsonObject r, (string Name, TimingSummary Timing)? reference)
    {
        var correct = Bool(r["correctness"]);
        var compiled = Bool(r["compiled"]);
        var metadata = r["metadata"] as JsonObject;
        // A timeout stays a timeout: KernelBench writes other_error "...TIMED OUT" (compiled) or timeout_error (older).
        var status = correct ? VerdictStatus.Correct
            : IsTimeout(metadata) ? VerdictStatus.Timeout
            : !compiled ? VerdictStatus.CompileError
            : metadata is not null && (metadata.ContainsKey("runtime_error") || metadata.ContainsKey("cuda_error")) ? VerdictStatus.RuntimeError
            : VerdictStatus.Incorrect;
        var runtime = Timing(r["runtime_stats"] as JsonObject, Num(r["runtime"]));
        // Newer KernelBench versions time the reference in the same run (ref_runtime, ref_runtime_stats): prefer that.
        var refTiming = Timing(r["ref_runtime_stats"] as JsonObject, Num(r["ref_runtime"])) ?? reference?.Timing;
        var hardware = (string?)(r["runtime_stats"]?["hardware"] as JsonValue) ?? (string?)(metadata?["hardware"] as JsonValue) ?? "";
        var statusText = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
        return new AttemptRecord
        {
            ProblemKey = $"L{level}/{id}",
            Level = level,
            ProblemId = id,
            ProblemName = reference?.Name ?? "",
            Chain = sample,
            Status = statusText,
            Source = "kernelbench eval_results.json",
            Verdict = new Verdict
            {
                Status = status,
                Level = level,
                ProblemId = id,
                Reason = metadata?.ToJsonString() ?? "",
                Runtime = correct ? runtime : null,
                RefRuntime = correct ? refTiming : null,
                Environment = new EnvironmentInfo { GpuName = hardware },
                // KernelBench's own reward-hack flag (its speedup over its excessive_speedup_threshold), kept as it is.
                Flags = Bool(metadata?["excessive_speedup"]) ? ["excessive_speedup"] : [],
            },
        };
    }

    /// <summary>
    /// KernelBench keeps mean, std and trial count, not the raw times; the 95% interval of the mean is taken as
    /// mean ± 1.96·std/√n (normal approximation).
    /// </summary>
    public static TimingSummary? Timing(JsonObject? stats, double? mean)
    {
        var m = Num(stats?["mean"]) ?? mean;
        if (m is not > 0)
            return null;
        var std = Num(stats?["std"]) ?? 0;
        var n = (int)(Num(stats?["num_trials"]) ?? 1);
        var half = 1.96 * std / Math.Sqrt(Math.Max(n, 1));
        return new TimingSummary
        {
            MeanMs = m.Value, MedianMs = m.Value, StdMs = std, MinMs = Num(stats?["min"]) ?? m.Value, MaxMs = Num(stats?["max"]) ?? m.Value,
            CiLowerMs = Math.Max(m.Value - half, 0), CiUpperMs = m.Value + half, Trials = n,
        };
    }

    private static bool IsTimeout(JsonObject? metadata) =>
        metadata is not null && (Bool(metadata["timeout_error"])
            || (metadata["other_error"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains("TIMED OUT", StringComparison.OrdinalIgnoreCase)));

    private static bool Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static double? Num(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
