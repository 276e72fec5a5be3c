using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Scoring.Baselines;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Scoring.Engine;

/// <summary>What the engine measures (the settings recorded in every verdict) and the limits of its worker.</summary>
public sealed record EngineOptions
{
    public EvalSettings Settings { get; init; } = new();
    public WorkerOptions Worker { get; init; } = new();

    /// <summary>Published reference timings to compute speedups against instead of the live reference, when set.</summary>
    public BaselineFile? Baseline { get; init; }

    /// <summary>Further baselines each correct verdict also gives a speedup against (<see cref="Verdict.BaselineSpeedups"/>).</summary>
    public IReadOnlyList<ComparisonBaseline> ComparisonBaselines { get; init; } = [];

    /// <summary>Speedup past which a verdict is flagged excessive_speedup (KernelBench's 10x).</summary>
    public double ExcessiveSpeedup { get; init; } = 10;

    public string HarnessVersion { get; init; } = "";

    /// <summary>The one mapping of the settings to the engine, for `kbh run`, `kbh eval` and `kbh baseline` alike.</summary>
    public static EngineOptions From(EvalOptions o, string harnessVersion) => new()
    {
        HarnessVersion = harnessVersion,
        Settings = EvalSettings.From(o),
        Worker = WorkerOptions.ForBuilds(new WorkerOptions
        {
            CheckTimeout = TimeSpan.FromSeconds(o.TimeoutSeconds),
            BuildTimeout = TimeSpan.FromSeconds(o.BuildTimeoutSeconds),
            ReferenceTimeout = TimeSpan.FromSeconds(Math.Max(o.TimeoutSeconds, 600)),
            HostDrawsOwnCoresOnly = o.HostDraws == HostDraws.Own,
            PinnedGib = o.PinnedGib,
            InitMemoGib = o.InitMemoGib,
        }, SettingInfo.Format(o.Builds), o.Device),
    };

    /// <summary>The options of a build worker (<see cref="PipelinedVerifier"/>): the same, at the lowest CPU priority.</summary>
    public EngineOptions ForBuildWorker() => this with { Worker = Worker with { LowPriority = true } };
}
