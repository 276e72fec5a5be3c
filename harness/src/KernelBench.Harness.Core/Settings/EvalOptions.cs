namespace KernelBench.Harness.Core.Settings;

/// <summary>
/// Every setting of how candidates are judged, with its one default: read from a run config's <c>eval:</c> section
/// (<c>kbh run</c>) or from flags (<c>kbh eval</c>, <c>kbh baseline</c>) by <see cref="SettingsParser"/> alone.
/// A new setting is one property here with a <see cref="SettingAttribute"/>; docs/settings.md lists them all.
/// </summary>
public sealed record EvalOptions
{
    [Setting("device", "cpu, cuda (every visible GPU) or cuda:N.", TopLevel = true, Pattern = @"cpu|cuda(:\d{1,4})?", PatternText = "cpu, cuda or cuda:N")]
    public string Device { get; init; } = "cuda";

    [Setting("correctness_trials", "Correctness trials, each with fresh inputs under its own seed.", Min = 1, Max = 1000, AliasFlag = "--trials")]
    public int CorrectnessTrials { get; init; } = 5;

    [Setting("perf_trials", "Timed trials after warm-up.", Min = 1, Max = 100_000)]
    public int PerfTrials { get; init; } = 100;

    [Setting("warmup", "Warm-up runs before timing.", Min = 0, Max = 100_000)]
    public int Warmup { get; init; } = 3;

    [Setting("no_perf", "Check correctness only; no timing.")]
    public bool NoPerf { get; init; }

    [Setting("seed", "Seed of the weights and of the first trial's inputs.", Min = 0, Max = long.MaxValue)]
    public long Seed { get; init; } = 42;

    [Setting("precision", "fp32, fp16 or bf16: inputs and weights are cast to it.")]
    public Precision Precision { get; init; } = Precision.Fp32;

    [Setting("atol", "Absolute tolerance; unset: 1e-4 for fp32, 1e-2 for fp16/bf16.", Min = 0, Max = 1e6)]
    public double? Atol { get; init; }

    [Setting("rtol", "Relative tolerance; unset: as atol's default.", Min = 0, Max = 1e6)]
    public double? Rtol { get; init; }

    [Setting("legacy_tolerance", "1e-2 for every precision, as KernelBench v0/v0.1 (the setting of the published 100%/96% results).")]
    public bool LegacyTolerance { get; init; }

    [Setting("timing", "cuda_event, do_bench, host_time (a CPU run uses host time for these) or kernelbench (KernelBench's own cuda_event measurement, step for step: autograd on, its warm-up, one discarded trial, a fresh L2 flush per trial, the reference timed separately; docs/timing-parity.md).")]
    public TimingMethod Timing { get; init; } = TimingMethod.CudaEvent;

    [Setting("timing_order", "interleaved: the reference timed again beside each candidate, trial by trial; separate: once per problem, as KernelBench. Unset: interleaved, separate with do_bench and kernelbench (the only order they allow).")]
    public TimingOrder? TimingOrder { get; init; }

    [Setting("timeout_s", "Time limit of one check (correctness and timing), seconds.", Min = 1, Max = 86_400, AliasFlag = "--timeout")]
    public double TimeoutSeconds { get; init; } = 300;

    [Setting("build_timeout_s", "Time limit of one candidate's import, its builds included, seconds.", Min = 1, Max = 86_400, AliasFlag = "--build-timeout")]
    public double BuildTimeoutSeconds { get; init; } = 600;

    [Setting("policy", "Which findings reject: evidence (runtime evidence gathered during the checks), kernelbench (KernelBench's evaluator: correctness and timing only, findings flagged), kernelbench-static (plus KernelBench's static checker's errors) or strict (every rule at its own level, any try/except included); docs/scoring.md.")]
    public Policy Policy { get; init; } = Policy.Evidence;

    [Setting("inputs", "Where get_inputs() runs: cpu (as KernelBench) or device (on the GPU: same distributions, other values, faster).")]
    public InputsPlace Inputs { get; init; } = InputsPlace.Cpu;

    [Setting("sandbox", "The candidates' OS sandbox: auto, require or off (docs/threat-model.md).")]
    public SandboxMode Sandbox { get; init; } = SandboxMode.Auto;

    [Setting("require_sandbox", "Same as sandbox: require.")]
    public bool RequireSandbox { get; init; }

    [Setting("builds", "fast: kbh's compiler launcher, each shortcut falling back to the plain compile; plain: torch's own build.", SpeedOnly = true)]
    public BuildMode Builds { get; init; } = BuildMode.Fast;

    [Setting("backend", "What candidates are written in: cuda, cpp, triton, tilelang, cute, thunderkittens or pytorch.")]
    public Backend Backend { get; init; } = Backend.Cuda;

    [Setting("workers", "Check workers per device; unset: 2 on a GPU (they take turns on it), 1 on a CPU.", Min = 1, Max = 64, SpeedOnly = true)]
    public int? Workers { get; init; }

    [Setting("build_workers", "CPU workers building candidates ahead of the checks; unset: the cores the GPU workers leave, none on a CPU.", Min = 0, Max = 4096, SpeedOnly = true)]
    public int? BuildWorkers { get; init; }

    [Setting("host_draws", "shared: a GPU worker's parallel draws of seeded weights and inputs also use the build workers' cores; own: its own cores only.", SpeedOnly = true)]
    public HostDraws HostDraws { get; init; } = HostDraws.Shared;

    [Setting("pinned_gib", "GiB of a model's weights (and of a problem's kept inputs) page-locked for the GPU copies; 0: none; unset: a tenth of the machine's memory, at most 16.", Min = 0, Max = 65_536, SpeedOnly = true)]
    public double? PinnedGib { get; init; }

    [Setting("init_memo_gib", "GiB of a reference's seeded weight fills a worker keeps, to copy into the candidate instead of drawing them again; 0: none.", Min = 0, Max = 65_536, SpeedOnly = true)]
    public double InitMemoGib { get; init; } = 16;

    /// <summary>timing_order as given, else interleaved (separate for do_bench and kernelbench, which time one function at a time).</summary>
    public TimingOrder EffectiveTimingOrder => TimingOrder ?? (TimesAlone ? Settings.TimingOrder.Separate : Settings.TimingOrder.Interleaved);

    /// <summary>do_bench and kernelbench time one function in a run of their own: never interleaved with the reference.</summary>
    public bool TimesAlone => Timing is TimingMethod.DoBench or TimingMethod.Kernelbench;

    /// <summary>sandbox, or require with require_sandbox.</summary>
    public SandboxMode EffectiveSandbox => RequireSandbox ? SandboxMode.Require : Sandbox;

    /// <summary>No CUDA events on a CPU: host time there, except kernelbench, which keeps KernelBench's flow under the host clock.</summary>
    public TimingMethod EffectiveTiming => IsCpu && Timing != TimingMethod.Kernelbench ? TimingMethod.HostTime : Timing;

    public bool IsCpu => Device == "cpu";

    /// <summary>KernelBench's tolerance: 1e-2 with legacy_tolerance or a half precision, else 1e-4.</summary>
    public double DefaultTolerance => LegacyTolerance || Precision != Precision.Fp32 ? 1e-2 : 1e-4;

    public double EffectiveAtol => Atol ?? DefaultTolerance;
    public double EffectiveRtol => Rtol ?? DefaultTolerance;
}
