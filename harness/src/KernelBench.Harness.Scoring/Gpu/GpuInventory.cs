using System.Globalization;

namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>
/// Lists the GPUs of this machine through the CUDA driver API, with NVML for driver version and clocks and NVRTC for
/// its version. Never throws for a missing or broken driver: the result says why there are no GPUs and the harness
/// goes on with the CPU.
/// </summary>
public static class GpuInventory
{
    public static GpuInventoryResult Discover()
    {
        var nvrtc = Nvrtc.Version();
        var cuda = CudaDriver.TryOpen(out var reason);
        if (cuda is null)
            return new GpuInventoryResult([], reason, null, null, nvrtc);
        var cudaVersion = FormatCudaVersion(cuda.DriverVersion());
        using var nvml = Nvml.TryOpen();
        var driverVersion = nvml?.DriverVersion();
        var count = cuda.DeviceCount(out var countError);
        var gpus = new List<GpuInfo>();
        for (var ordinal = 0; ordinal < count; ordinal++)
            if (cuda.Device(ordinal) is { } device)
                gpus.Add(Describe(cuda, nvml, ordinal, device, driverVersion, cudaVersion));
        var why = countError ?? (gpus.Count == 0 ? "the CUDA driver reports no devices (check CUDA_VISIBLE_DEVICES)" : null);
        return new GpuInventoryResult(gpus, why, driverVersion, cudaVersion, nvrtc);
    }

    /// <summary>cuDriverGetVersion's 1000*major + 10*minor as "major.minor", e.g. 13000 → "13.0".</summary>
    public static string? FormatCudaVersion(int? version) =>
        version is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v / 1000}.{v % 1000 / 10}") : null;

    private static GpuInfo Describe(CudaDriver cuda, Nvml? nvml, int ordinal, int device, string? driver, string? cudaVersion)
    {
        var uuidBytes = cuda.Uuid(device);
        var uuid = uuidBytes is null ? "" : GpuUuid.Format(uuidBytes);
        var (maxSm, maxMem, sm) = nvml is not null && uuid.Length > 0 ? nvml.Clocks(uuid) : (null, null, null);
        var major = cuda.Attribute(device, CudaDriver.AttrComputeMajor);
        var minor = cuda.Attribute(device, CudaDriver.AttrComputeMinor);
        return new GpuInfo(
            ordinal,
            cuda.Name(device) ?? "unknown",
            uuid,
            cuda.Attribute(device, CudaDriver.AttrSmCount),
            cuda.TotalMemory(device),
            major is null ? null : string.Create(CultureInfo.InvariantCulture, $"{major}.{minor ?? 0}"),
            maxSm ?? KiloToMega(cuda.Attribute(device, CudaDriver.AttrClockRate)),
            maxMem ?? KiloToMega(cuda.Attribute(device, CudaDriver.AttrMemoryClockRate)),
            sm,
            cuda.Attribute(device, CudaDriver.AttrL2CacheSize),
            driver,
            cudaVersion);
    }

    // The driver API gives clocks in kHz; 0 means the attribute is gone (CUDA 13 deprecates them).
    private static int? KiloToMega(int? khz) => khz is > 0 ? khz / 1000 : null;
}
