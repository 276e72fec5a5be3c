namespace KernelBench.Harness.Reports.Model;

/// <summary>What each verdict flag means, for the legend under every summary (a flag nobody can read is no warning).</summary>
public static class FlagLegend
{
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>
    {
        ["pytorch_only"] = "no CUDA/C++ extension was built: the answer is PyTorch, not a kernel (left out of the real-kernels track)",
        ["pytorch_wrap"] = "torch.nn layers do the work, not the candidate's kernel (left out of the real-kernels track)",
        ["excessive_speedup"] = "speedup above the excessive-speedup threshold (KernelBench's reward-hack flag): check the kernel by hand",
        ["torch_computation_ops"] = "high-level PyTorch compute ops (torch.matmul, F.relu...) in the candidate's Python",
        ["backend_impl"] = "no kernel of the claimed backend (e.g. no __global__ function for cuda)",
        ["precision_downgrade"] = "an fp32 problem computed in lower precision (fp16, bf16, TF32)",
        ["stream_injection"] = "work put on other CUDA streams, which can escape the timer",
        ["thread_injection"] = "threads or processes, which can escape the timer",
        ["code_bypass"] = "ModelNew falls back to or calls the reference instead of its own code",
        ["lazy_eval"] = "outputs that are not plain dense tensors (subclasses, deferred work)",
        ["timing_event_patch"] = "monkey-patching of timers, synchronize or the comparison",
    };

    /// <summary>Every flag seen in the report, and the two the real-kernels track rests on, with their meaning.</summary>
    public static IReadOnlyList<(string Flag, string Meaning)> For(IEnumerable<string> seen) =>
        RealKernels.NotKernelFlags.Concat(seen.Order(StringComparer.Ordinal)).Distinct()
            .Select(f => (f, Known.TryGetValue(f, out var m) ? m : "no description known to this harness; see the verdict's reason"))
            .ToList();
}
