using KernelBench.Harness.Core.Settings;

namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>The settings a verdict was measured under; recorded in every verdict so results can be compared fairly.</summary>
public sealed record EvalSettings
{
    public int CorrectnessTrials { get; init; } = 5;
    public int PerfTrials { get; init; } = 100;
    public int WarmupRuns { get; init; } = 3;
    public long Seed { get; init; } = 42;
    public double Atol { get; init; } = 1e-4;
    public double Rtol { get; init; } = 1e-4;

    /// <summary>fp32, fp16 or bf16.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>cuda_event, do_bench, host_time or kernelbench (<see cref="TimingMethods"/>).</summary>
    public string TimingMethod { get; init; } = "cuda_event";

    /// <summary>
    /// separate (KernelBench's way: the reference timed once per problem, each candidate in its own window) or
    /// interleaved (the reference timed again beside every candidate, trial by trial, so a drift of the host's launch
    /// speed between windows cancels in the speedup; costs a reference timing per candidate). Interleaved by default:
    /// on an H200, launch-bound Level 3 references timed as their own candidates were within 10% in 7 and 11 of 19
    /// separate, 19 of 19 interleaved (results/2026-12-02-h200-session5).
    /// </summary>
    public string TimingOrder { get; init; } = TimingOrders.Interleaved;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    public string Backend { get; init; } = "cuda";
    public double TimeoutSeconds { get; init; } = 300;
    public bool MeasurePerformance { get; init; } = true;

    /// <summary>
    /// Where get_inputs() runs: cpu (KernelBench's way: made on the CPU under the trial's seed, then copied to the device)
    /// or device (made on the check's GPU under the same seed: the same distributions, other values, and seconds
    /// faster per trial for Level 1's gigabyte inputs).
    /// </summary>
    public string Inputs { get; init; } = "cpu";

    /// <summary>
    /// The OS sandbox of candidate processes (docs/threat-model.md): auto (every part this machine allows, the missing
    /// ones said once per run and recorded in each verdict), require (refuse to judge without every part) or off.
    /// </summary>
    public string Sandbox { get; init; } = "auto";

    /// <summary>Which findings reject (<see cref="Policies"/>): kernelbench, kernelbench-static, evidence (the default) or strict.</summary>
    public string Policy { get; init; } = Policies.Default;

    /// <summary>Time limit of one candidate's import, its builds included.</summary>
    public double BuildTimeoutSeconds { get; init; } = 600;

    // How fast the judging ran, never what it found: recorded so a throughput can be traced to its switches.

    /// <summary>fast (kbh's compiler launcher) or plain (torch's own build).</summary>
    public string Builds { get; init; } = "fast";

    /// <summary>shared: a GPU worker's draws also use the build workers' cores; own: its own cores only.</summary>
    public string HostDraws { get; init; } = "shared";

    /// <summary>GiB page-locked for the GPU copies; null: the worker's default (a tenth of memory, at most 16).</summary>
    public double? PinnedGib { get; init; }

    /// <summary>GiB of a reference's weight fills a worker keeps to copy into the candidate.</summary>
    public double InitMemoGib { get; init; } = 16;

    /// <summary>The settings recorded in every verdict for <paramref name="o"/> (resolved: tolerances, timing order, sandbox).</summary>
    public static EvalSettings From(EvalOptions o) => new()
    {
        CorrectnessTrials = o.CorrectnessTrials, PerfTrials = o.PerfTrials, WarmupRuns = o.Warmup, Seed = o.Seed,
        Atol = o.EffectiveAtol, Rtol = o.EffectiveRtol, Precision = SettingInfo.Format(o.Precision),
        TimingMethod = SettingInfo.Format(o.EffectiveTiming), TimingOrder = SettingInfo.Format(o.EffectiveTimingOrder),
        Device = o.Device, Backend = SettingInfo.Format(o.Backend), TimeoutSeconds = o.TimeoutSeconds,
        MeasurePerformance = !o.NoPerf, Inputs = SettingInfo.Format(o.Inputs), Sandbox = SettingInfo.Format(o.EffectiveSandbox),
        BuildTimeoutSeconds = o.BuildTimeoutSeconds, Builds = SettingInfo.Format(o.Builds), HostDraws = SettingInfo.Format(o.HostDraws),
        PinnedGib = o.PinnedGib, InitMemoGib = o.InitMemoGib, Policy = SettingInfo.Format(o.Policy),
    };
}
