using System.Globalization;
using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring.Verdicts;
using Spectre.Console;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>How `kbh eval` shows a verdict: one JSON object per line (--format json) or a small grid.</summary>
public static class VerdictOutput
{
    public static string Json(Verdict v, string candidate)
    {
        var flags = new JsonArray();
        foreach (var f in v.Flags)
            flags.Add(f);
        var phases = new JsonObject();
        foreach (var (name, seconds) in v.PhaseSeconds)
            phases[name] = Finite(seconds);
        var baselines = new JsonObject();
        foreach (var (name, speedup) in v.BaselineSpeedups)
            baselines[name] = Finite(speedup);
        var modes = new JsonArray();
        foreach (var m in v.BuildModes)
            modes.Add(m);
        return new JsonObject
        {
            ["level"] = v.Level, ["problem_id"] = v.ProblemId, ["problem_name"] = v.ProblemName,
            ["candidate"] = candidate, ["status"] = StatusName(v.Status), ["reason"] = v.Reason,
            ["max_abs_diff"] = Finite(v.MaxAbsDiff), ["mean_abs_diff"] = Finite(v.MeanAbsDiff), ["failed_trial"] = v.FailedTrial,
            ["runtime_ms"] = Finite(v.Runtime?.MeanMs), ["ref_runtime_ms"] = Finite(v.RefRuntime?.MeanMs),
            ["speedup"] = Finite(v.Speedup), ["baseline_speedups"] = baselines, ["flags"] = flags, ["backend"] = v.Backend, ["build_seconds"] = Finite(v.BuildSeconds),
            ["build_modes"] = modes,
            ["phase_seconds"] = phases,
            ["device"] = v.Settings?.Device, ["inputs"] = v.Settings?.Inputs, ["gpu"] = v.Environment?.GpuName,
            ["timing"] = v.Settings?.TimingMethod, ["timing_order"] = v.Settings?.TimingOrder,
            ["candidate_sha256"] = v.CandidateSha256, ["queue_seconds"] = Finite(v.QueueSeconds),
            ["sandbox"] = Texts(v.Sandbox), ["timing_check"] = Texts(v.TimingCheck), ["candidate_output"] = v.CandidateOutput,
        }.ToJsonString();
    }

    private static JsonObject Texts(IReadOnlyDictionary<string, string> texts)
    {
        var o = new JsonObject();
        foreach (var (k, v) in texts)
            o[k] = v;
        return o;
    }

    public static string StatusName(VerdictStatus s) => s switch
    {
        VerdictStatus.CompileError => "compile_error",
        VerdictStatus.RuntimeError => "runtime_error",
        VerdictStatus.HarnessInterrupted => "harness_interrupted",
        _ => s.ToString().ToLowerInvariant(),
    };

    public static void Grid(IAnsiConsole console, Verdict v, string candidate)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("problem", Markup.Escape($"L{v.Level}/{v.ProblemId} {v.ProblemName}"));
        grid.AddRow("candidate", Markup.Escape(candidate));
        grid.AddRow("status", $"[{(v.Status == VerdictStatus.Correct ? "green" : "red")}]{StatusName(v.Status)}[/]");
        if (v.Reason.Length > 0)
            grid.AddRow("reason", Markup.Escape(v.Reason));
        if (v.MaxAbsDiff is { } d)
            grid.AddRow("max abs diff", d.ToString("G4", CultureInfo.InvariantCulture));
        if (v.Runtime is { } r)
            grid.AddRow("runtime", $"{r.MeanMs:F4} ms (median {r.MedianMs:F4}, ±{r.StdMs:F4}, {r.Trials} trials)");
        if (v.RefRuntime is { } rr)
            grid.AddRow("reference", $"{rr.MeanMs:F4} ms");
        if (v.Speedup is { } s)
            grid.AddRow("speedup", $"{s:F2}x");
        foreach (var (name, speedup) in v.BaselineSpeedups)
            grid.AddRow(Markup.Escape($"speedup vs {name}"), $"{speedup:F2}x");
        if (v.BuildSeconds is { } b)
            grid.AddRow("build", Markup.Escape($"{b:F1} s" + (v.BuildModes.Count > 0 ? $" ({string.Join(", ", v.BuildModes)})" : "")));
        if (v.Flags.Count > 0)
            grid.AddRow("flags", Markup.Escape(string.Join(", ", v.Flags)));
        console.Write(grid);
    }

    private static double? Finite(double? d) => d is { } x && double.IsFinite(x) ? x : null;
}
