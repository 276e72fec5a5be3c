namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>
/// One GPU as the CUDA driver (and NVML where present) reports it. Index is the CUDA device ordinal, the one
/// `cuda:N` means in this process (after CUDA_VISIBLE_DEVICES). Values a library did not give are null.
/// </summary>
public sealed record GpuInfo(
    int Index,
    string Name,
    string Uuid,
    int? SmCount,
    long? TotalMemoryBytes,
    string? ComputeCapability,
    int? MaxSmClockMHz,
    int? MaxMemoryClockMHz,
    int? CurrentSmClockMHz,
    long? L2CacheBytes,
    string? DriverVersion,
    string? CudaDriverVersion);

/// <summary>What <see cref="GpuInventory.Discover"/> found: the GPUs, or why there are none, and the versions it could read.</summary>
public sealed record GpuInventoryResult(
    IReadOnlyList<GpuInfo> Gpus,
    string? Reason,
    string? DriverVersion,
    string? CudaDriverVersion,
    string? NvrtcVersion)
{
    public bool HasGpu => Gpus.Count > 0;
}
