namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>Formats the 16 bytes of a CUuuid as nvidia-smi and NVML print it: GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.</summary>
public static class GpuUuid
{
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
            throw new ArgumentException($"a CUDA UUID has 16 bytes, not {bytes.Length}", nameof(bytes));
        // Byte order as stored: the driver's bytes are printed in sequence, not as a little-endian System.Guid would.
        var hex = Convert.ToHexStringLower(bytes);
        return $"GPU-{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
