namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>
/// NVML (libnvidia-ml.so.1) for what the CUDA driver API does not say: the display driver version and clocks.
/// Devices are matched to CUDA ordinals by UUID, since NVML counts in PCI order and ignores CUDA_VISIBLE_DEVICES.
/// </summary>
internal sealed unsafe class Nvml : IDisposable
{
    private const int Success = 0;
    private const int ClockSm = 1, ClockMem = 2;

    private readonly delegate* unmanaged<int> _shutdown;
    private readonly delegate* unmanaged<byte*, uint, int> _systemGetDriverVersion;
    private readonly delegate* unmanaged<byte*, nint*, int> _deviceGetHandleByUuid;
    private readonly delegate* unmanaged<nint, int, uint*, int> _deviceGetClockInfo;
    private readonly delegate* unmanaged<nint, int, uint*, int> _deviceGetMaxClockInfo;

    private Nvml(nint lib)
    {
        _shutdown = (delegate* unmanaged<int>)NativeLibraries.Export(lib, "nvmlShutdown");
        _systemGetDriverVersion = (delegate* unmanaged<byte*, uint, int>)NativeLibraries.Export(lib, "nvmlSystemGetDriverVersion");
        _deviceGetHandleByUuid = (delegate* unmanaged<byte*, nint*, int>)NativeLibraries.Export(lib, "nvmlDeviceGetHandleByUUID");
        _deviceGetClockInfo = (delegate* unmanaged<nint, int, uint*, int>)NativeLibraries.Export(lib, "nvmlDeviceGetClockInfo");
        _deviceGetMaxClockInfo = (delegate* unmanaged<nint, int, uint*, int>)NativeLibraries.Export(lib, "nvmlDeviceGetMaxClockInfo");
    }

    public static readonly string[] LibraryNames = ["libnvidia-ml.so.1", "libnvidia-ml.so"];

    /// <summary>An initialised NVML, or null when the library or its init is missing (GPU facts then come from CUDA alone).</summary>
    public static Nvml? TryOpen()
    {
        var lib = NativeLibraries.TryLoad(LibraryNames);
        var init = (delegate* unmanaged<int>)NativeLibraries.Export(lib, "nvmlInit_v2");
        if (init == null || init() != Success)
            return null;
        return new Nvml(lib);
    }

    public string? DriverVersion()
    {
        if (_systemGetDriverVersion == null)
            return null;
        var buffer = stackalloc byte[96];
        return _systemGetDriverVersion(buffer, 96) == Success ? NativeLibraries.Utf8(new ReadOnlySpan<byte>(buffer, 96)) : null;
    }

    /// <summary>Max SM clock, max memory clock and current SM clock in MHz for the GPU with this "GPU-..." UUID.</summary>
    public (int? MaxSm, int? MaxMem, int? Sm) Clocks(string uuid)
    {
        if (_deviceGetHandleByUuid == null)
            return (null, null, null);
        var text = System.Text.Encoding.ASCII.GetBytes(uuid + "\0");
        nint device;
        fixed (byte* p = text)
            if (_deviceGetHandleByUuid(p, &device) != Success)
                return (null, null, null);
        return (Clock(_deviceGetMaxClockInfo, device, ClockSm), Clock(_deviceGetMaxClockInfo, device, ClockMem),
            Clock(_deviceGetClockInfo, device, ClockSm));
    }

    private static int? Clock(delegate* unmanaged<nint, int, uint*, int> fn, nint device, int type)
    {
        if (fn == null)
            return null;
        uint mhz;
        return fn(device, type, &mhz) == Success ? (int)mhz : null;
    }

    public void Dispose()
    {
        if (_shutdown != null)
            _shutdown();
    }
}
