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
}
