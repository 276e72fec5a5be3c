namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>How each timed call is measured, as a verdict records it (<see cref="EvalSettings.TimingMethod"/>); the
/// setting's values and the rules between them are <see cref="KernelBench.Harness.Core.Settings.TimingMethod"/> and
/// <see cref="KernelBench.Harness.Core.Settings.EvalOptions.EffectiveTiming"/>; docs/timing-parity.md.</summary>
public static class TimingMethods
{
    /// <summary>kbh's CUDA-event trial: L2 flushed, the whole device synchronized before the end event, under no_grad.</summary>
    public const string CudaEvent = "cuda_event";

    /// <summary>Triton's do_bench loop, in the candidate's process.</summary>
    public const string DoBench = "do_bench";

    /// <summary>The host's clock around each call, the device synchronized after it.</summary>
    public const string HostTime = "host_time";

    /// <summary>
    /// KernelBench's own cuda_event measurement as its evaluator makes it, step for step: autograd on, its warm-up
    /// (each call synchronized, then the allocator's cache emptied), one discarded trial, a fresh L2 flush per trial,
    /// the end event on the current stream; the reference timed separately. For speedups to put beside KernelBench's.
    /// </summary>
    public const string KernelBench = "kernelbench";

    /// <summary>Methods that time one function in a run of their own: never interleaved with the reference.</summary>
    public static bool TimesAlone(string method) => method is DoBench or KernelBench;
}
