namespace KernelBench.Harness.Reports.Model;

/// <summary>The settings a reader needs to compare runs fairly, from run.json, else from the first recorded verdict.</summary>
public sealed record RunInfo
{
    public string RunId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Model { get; init; } = "";
    public string Strategy { get; init; } = "";
    public string Budget { get; init; } = "";
    public string Gpu { get; init; } = "";
    public string TimingMethod { get; init; } = "";
    public double? Atol { get; init; }
    public double? Rtol { get; init; }
    public string Precision { get; init; } = "";
    public int? CorrectnessTrials { get; init; }
    public int? PerfTrials { get; init; }
    public string ProblemSetHash { get; init; } = "";
    public string HarnessVersion { get; init; } = "";

    public static RunInfo From(RunData run)
    {
        var m = run.Manifest;
        var verdict = run.Attempts.Select(a => a.Verdict).FirstOrDefault(v => v?.Settings is not null);
        var settings = m.EvalSettings ?? verdict?.Settings;
        var env = run.Attempts.Select(a => a.Verdict?.Environment).FirstOrDefault(e => e is { GpuName.Length: > 0 });
        return new RunInfo
        {
            RunId = m.RunId,
            Kind = m.Kind,
            Model = m.Model,
            Strategy = m.Strategy,
            Budget = m.Budget,
            Gpu = m.Gpu.Length > 0 ? m.Gpu : env?.GpuName ?? (m.Device.Length > 0 ? m.Device : settings?.Device ?? ""),
            TimingMethod = settings is { TimingOrder: Scoring.Verdicts.TimingOrders.Interleaved } ? settings.TimingMethod + " (interleaved)" : settings?.TimingMethod ?? "",
            Atol = settings?.Atol,
            Rtol = settings?.Rtol,
            Precision = settings?.Precision ?? "",
            CorrectnessTrials = settings?.CorrectnessTrials,
            PerfTrials = settings?.PerfTrials,
            ProblemSetHash = m.ProblemSetHash,
            HarnessVersion = m.HarnessVersion,
        };
    }
}
