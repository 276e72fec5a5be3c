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

    /// <summary>separate or interleaved (how reference and candidate timings were ordered).</summary>
    public string TimingOrder { get; init; } = "";

    /// <summary>Where the reference times came from; part of what makes runs comparable.</summary>
    public string BaselineSource { get; init; } = "";

    /// <summary>Which attempt of a problem is scored: the best attempt (harness runs), sample 0 or best of N (imports).</summary>
    public string SamplePolicy { get; init; } = "";

    /// <summary>Which findings rejected (kernelbench, kernelbench-static, evidence, strict); imports: KernelBench's evaluator's.</summary>
    public string Policy { get; init; } = "";

    /// <summary>The harness's own runs time the reference themselves, beside the candidates.</summary>
    public const string HarnessBaseline = "reference timed by the harness in this run";
    public const string BestAttempt = "best attempt";

    public static RunInfo From(RunData run)
    {
        var m = run.Manifest;
        if (run.Imported is { } imported)
            return FromImport(run, imported);
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
            TimingOrder = settings?.TimingOrder ?? "",
            BaselineSource = HarnessBaseline,
            SamplePolicy = BestAttempt,
            Policy = settings?.Policy ?? "",
        };
    }

    private static RunInfo FromImport(RunData run, ImportedSettings s) => new()
    {
        RunId = run.Manifest.RunId,
        Kind = run.Manifest.Kind,
        Model = run.Manifest.Model,
        Strategy = run.Manifest.Strategy,
        Budget = run.Manifest.Budget,
        Gpu = run.Manifest.Gpu,
        TimingMethod = s.TimingMethod,
        TimingOrder = s.TimingOrder,
        Atol = s.Atol,
        Rtol = s.Rtol,
        Precision = s.Precision,
        CorrectnessTrials = s.CorrectnessTrials,
        PerfTrials = s.PerfTrials,
        ProblemSetHash = run.Manifest.ProblemSetHash,
        HarnessVersion = run.Manifest.HarnessVersion,
        BaselineSource = s.BaselineSource,
        SamplePolicy = s.SamplePolicy,
        Policy = Scoring.Verdicts.Policies.KernelBench, // judged by KernelBench's own evaluator
    };
}
