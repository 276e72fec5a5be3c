namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>How each timed call is measured (<see cref="EvalSettings.TimingMethod"/>); docs/timing-parity.md.</summary>
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

    public static IReadOnlyList<string> All { get; } = [CudaEvent, DoBench, HostTime, KernelBench];

    public static bool IsKnown(string? method) => method is CudaEvent or DoBench or HostTime or KernelBench;

    /// <summary>Methods that time one function in a run of their own: never interleaved with the reference.</summary>
    public static bool TimesAlone(string method) => method is DoBench or KernelBench;

    /// <summary>
    /// The method the worker uses on <paramref name="device"/>: on a CPU there are no CUDA events, so host time,
    /// except kernelbench, which keeps KernelBench's flow (autograd on, its warm-up, the discarded trial) under the
    /// host clock, and says so in the verdict's timing_check.
    /// </summary>
    public static string OnDevice(string method, string device) =>
        device == "cpu" && method != KernelBench ? HostTime : method;
}
