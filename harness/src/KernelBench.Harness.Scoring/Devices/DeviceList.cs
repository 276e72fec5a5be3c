using System.Globalization;
using KernelBench.Harness.Problems;

namespace KernelBench.Harness.Scoring.Devices;

/// <summary>
/// Which devices a run's verifier workers use: `device: cpu` one CPU worker; `cuda:N` that GPU; `cuda` every visible
/// GPU, or the `gpus:` ordinals (an ordinal listed twice gets two workers, e.g. [0, 0] to exercise the multi-GPU path
/// on one GPU). Ordinals are as this process sees them; CUDA_VISIBLE_DEVICES maps them back to physical indices.
/// </summary>
public static class DeviceList
{
    /// <param name="device">The config's device: cpu, cuda or cuda:N.</param>
    /// <param name="gpus">The config's gpus: ordinals, or null for every visible GPU.</param>
    /// <param name="cudaVisibleDevices">The CUDA_VISIBLE_DEVICES value, or null when unset.</param>
    /// <param name="visibleCount">How many GPUs the CUDA driver reports (cuDeviceGetCount), visible ones only.</param>
    public static IReadOnlyList<GpuDevice> Resolve(string device, IReadOnlyList<int>? gpus, string? cudaVisibleDevices, int visibleCount)
    {
        if (device == "cpu")
            return [GpuDevice.Cpu];
        var physical = PhysicalIndices(cudaVisibleDevices);
        if (device.StartsWith("cuda:", StringComparison.Ordinal))
            return [Gpu(int.Parse(device[5..], CultureInfo.InvariantCulture), visibleCount, physical)];
        if (visibleCount < 1)
            throw new BadInputException($"device: cuda, but no GPU is visible{(cudaVisibleDevices is null ? "" : $" (CUDA_VISIBLE_DEVICES={cudaVisibleDevices})")}; use device: cpu.");
        var ordinals = gpus ?? Enumerable.Range(0, visibleCount).ToList();
        return ordinals.Select(o => Gpu(o, visibleCount, physical)).ToList();
    }

    private static GpuDevice Gpu(int ordinal, int visibleCount, IReadOnlyList<int>? physical)
    {
        if (ordinal >= visibleCount)
            throw new BadInputException($"GPU {ordinal} is not visible: this process sees {visibleCount} GPU(s) (ordinals 0 to {visibleCount - 1}).");
        return new GpuDevice($"cuda:{ordinal}", physical is not null && ordinal < physical.Count ? physical[ordinal] : ordinal);
    }

    // "2,3" → [2, 3]. UUIDs ("GPU-…") name no index: then the ordinal stands in, and the verdict's GPU UUID identifies the card.
    private static IReadOnlyList<int>? PhysicalIndices(string? visible)
    {
        if (string.IsNullOrWhiteSpace(visible))
            return null;
        var parts = visible.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var indices = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                return null;
            indices.Add(i);
        }
        return indices;
    }
}
