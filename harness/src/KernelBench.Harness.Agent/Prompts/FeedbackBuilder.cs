using System.Globalization;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Agent.Prompts;

/// <summary>
/// Turns the previous attempt's verdict into the feedback the model sees: the compile log's tail, the runtime error,
/// the first mismatching trial with its max difference, the validator that rejected it, timing against the reference,
/// and the best correct kernel so far.
/// </summary>
public static class FeedbackBuilder
{
    private const int LogLines = 60;

    public static FeedbackText Build(AttemptRecord last, AttemptRecord? best)
    {
        var (status, details) = last.Verdict is { } v ? Describe(v) : last.Status switch
        {
            "no_code" => ("no code found",
                "Your answer contained no fenced ```python block defining `class ModelNew`, so nothing could be checked." +
                (last.FinishReason == "length" ? " It was cut off at the output-token limit: think more briefly and write the code sooner." : "")),
            _ => (last.Status, last.Error ?? ""),
        };
        return new FeedbackText(status, details, BestSoFar(best));
    }

    private static (string, string) Describe(Verdict v) => v.Status switch
    {
        VerdictStatus.CompileError => ("compilation failed", "The build failed. The end of the compiler log:\n" + Block(v.Reason)),
        VerdictStatus.RuntimeError => ("runtime error", "The code compiled but raised an error when run:\n" + Block(Join(v.Reason, v.CandidateOutput))),
        VerdictStatus.Timeout => ("timed out", "The code did not finish within the time limit" + (v.Reason.Length > 0 ? ":\n" + Block(v.Reason) : ".")),
        VerdictStatus.Rejected => ("rejected", "A check for invalid kernels rejected it:\n" + Block(v.Reason) +
                                               (v.Flags.Count > 0 ? $"\nFlags: {string.Join(", ", v.Flags)}" : "")),
        VerdictStatus.HarnessInterrupted => ("not judged: it took the harness down",
            "Judging this code killed the evaluation harness twice (a crash of the machine's processes or exhausted memory are the usual causes), " +
            "so it was not judged and counts as a failed attempt. Write code that cannot bring down the process that runs it."),
        VerdictStatus.Incorrect => ("incorrect output", Mismatch(v)),
        VerdictStatus.Correct => ("correct", Timing(v)),
        _ => (v.Status.ToString(), v.Reason),
    };

    private static string Mismatch(Verdict v)
    {
        var parts = new List<string> { "The output does not match the reference" + (v.FailedTrial is { } t ? $" (first failing trial: {t})" : "") + "." };
        if (v.MaxAbsDiff is { } max)
            parts.Add($"Max absolute difference: {F(max)}" + (v.MeanAbsDiff is { } mean ? $", mean absolute difference: {F(mean)}." : "."));
        if (v.Settings is { } s)
            parts.Add($"Tolerance: atol {F(s.Atol)}, rtol {F(s.Rtol)}.");
        if (v.Reason.Length > 0)
            parts.Add(Block(v.Reason));
        return string.Join("\n", parts);
    }

    private static string Timing(Verdict v)
    {
        if (v.Runtime is null || v.RefRuntime is null)
            return "It matches the reference.";
        return $"It matches the reference. Your kernel: {F(v.Runtime.MeanMs)} ms; the PyTorch reference: {F(v.RefRuntime.MeanMs)} ms; " +
               $"speedup {F(v.Speedup ?? v.RefRuntime.MeanMs / v.Runtime.MeanMs)}x.";
    }

    private static string BestSoFar(AttemptRecord? best) => best?.Verdict is { } v
        ? $"Best correct kernel so far: attempt {best.Index + 1} of chain {best.Chain}" + (v.Speedup is { } s ? $", speedup {F(s)}x over the reference." : ".")
        : "No correct kernel yet.";

    private static string Join(string a, string b) => string.IsNullOrWhiteSpace(b) ? a : a + "\n" + b;

    private static string Block(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        var tail = lines.Length > LogLines ? ["[... " + (lines.Length - LogLines) + " lines omitted ...]", .. lines[^LogLines..]] : lines;
        return "```\n" + string.Join("\n", tail).Replace("```", "'''") + "\n```";
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
