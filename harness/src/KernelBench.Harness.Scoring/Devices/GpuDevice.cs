namespace KernelBench.Harness.Scoring.Devices;

/// <summary>One device a verifier worker runs on.</summary>
/// <param name="Label">How the worker addresses it: "cpu" or "cuda:N" (N an ordinal as this process sees it).</param>
/// <param name="Index">The GPU's index as nvidia-smi numbers it (CUDA_VISIBLE_DEVICES mapped back), recorded in verdicts; null for the CPU.</param>
public sealed record GpuDevice(string Label, int? Index)
{
    public static GpuDevice Cpu { get; } = new("cpu", null);
}
