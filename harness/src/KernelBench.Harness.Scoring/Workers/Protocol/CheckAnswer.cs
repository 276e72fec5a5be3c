using System.Text.Json;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Scoring.Workers.Protocol;

/// <summary>A finding the judge reported at run time, as the worker sent it.</summary>
/// <param name="Action">reject or flag, under the policy.</param>
/// <param name="SelfReported">The candidate's own process reported it (not the judge's observation).</param>
public sealed record RuntimeFinding(string Rule, string Action, bool SelfReported, string Message, int? Line, string? Trial);

/// <summary>What a check job answered, the fields the verdict is made of; the candidate's import is in <see cref="Build"/>.</summary>
/// <param name="Status">correct, incorrect, rejected, compile_error, timeout, runtime_error, bad_input.</param>
/// <param name="ProblemSha256">Of the problem bytes the judge ran; empty when not said.</param>
/// <param name="PairedRefTimesMs">Reference times measured beside the candidate (timing_order: interleaved).</param>
/// <param name="Sandbox">What the candidate's process got, flattened ("missing.seccomp").</param>
public sealed record CheckAnswer(
    string Status, string Reason, string ProblemSha256, IReadOnlyDictionary<string, double> PhaseSeconds,
    IReadOnlyList<double> TimesMs, IReadOnlyList<double> PairedRefTimesMs, double? FailedTrial, double? MaxAbsDiff, double? MeanAbsDiff,
    IReadOnlyList<RuntimeFinding> Findings, IReadOnlyDictionary<string, string> Sandbox, IReadOnlyDictionary<string, string> TimingCheck,
    IReadOnlyDictionary<string, string> Evidence, BuildAnswer Build, string OutputTail)
{
    public static CheckAnswer From(WorkerReply reply) => new(
        reply.Status, reply.Str("reason"), reply.Str("problem_sha256"), reply.Numbers("phase_seconds"),
        reply.Times("times_ms"), reply.Times("paired_ref_times_ms"), reply.Num("failed_trial"), reply.Num("max_abs_diff"), reply.Num("mean_abs_diff"),
        FindingsOf(reply), reply.Texts("sandbox"), reply.Texts("timing_check"), reply.Texts("evidence"), BuildAnswer.From(reply), reply.OutputTail);

    // Findings without a rule name nothing: skipped.
    private static List<RuntimeFinding> FindingsOf(WorkerReply reply) => reply.Array("findings")
        .Where(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("rule", out var r) && r.ValueKind == JsonValueKind.String)
        .Select(f => new RuntimeFinding(
            Text(f, "rule"), Text(f, "action") is "reject" ? "reject" : "flag",
            f.TryGetProperty("self_reported", out var s) && s.ValueKind == JsonValueKind.True,
            Text(f, "message"),
            f.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var line) ? line : null,
            Text(f, "trial") is { Length: > 0 } t ? t : null))
        .ToList();

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
}
