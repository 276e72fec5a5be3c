namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>
/// The few CUDA driver API calls the harness reads GPU facts with (libcuda.so.1), bound as function pointers from
/// NativeLibrary exports. <see cref="TryOpen"/> returns null with a reason when there is no driver or no cuInit.
/// </summary>
internal sealed unsafe class CudaDriver
{
    private const int Success = 0;

    // CUdevice_attribute values from cuda.h.
    public const int AttrClockRate = 13, AttrSmCount = 16, AttrMemoryClockRate = 36, AttrL2CacheSize = 38;
    public const int AttrComputeMajor = 75, AttrComputeMinor = 76;

    private readonly delegate* unmanaged<uint, int> _init;
    private readonly delegate* unmanaged<int*, int> _driverGetVersion;
    private readonly delegate* unmanaged<int*, int> _deviceGetCount;
    private readonly delegate* unmanaged<int*, int, int> _deviceGet;
    private readonly delegate* unmanaged<byte*, int, int, int> _deviceGetName;
    private readonly delegate* unmanaged<byte*, int, int> _deviceGetUuid;
    private readonly delegate* unmanaged<nuint*, int, int> _deviceTotalMem;
    private readonly delegate* unmanaged<int*, int, int, int> _deviceGetAttribute;
    private readonly delegate* unmanaged<int, byte**, int> _getErrorString;

    private CudaDriver(nint lib)
    {
        _init = (delegate* unmanaged<uint, int>)NativeLibraries.Export(lib, "cuInit");
        _driverGetVersion = (delegate* unmanaged<int*, int>)NativeLibraries.Export(lib, "cuDriverGetVersion");
        _deviceGetCount = (delegate* unmanaged<int*, int>)NativeLibraries.Export(lib, "cuDeviceGetCount");
        _deviceGet = (delegate* unmanaged<int*, int, int>)NativeLibraries.Export(lib, "cuDeviceGet");
        _deviceGetName = (delegate* unmanaged<byte*, int, int, int>)NativeLibraries.Export(lib, "cuDeviceGetName");
        var uuid = NativeLibraries.Export(lib, "cuDeviceGetUuid_v2");
        _deviceGetUuid = (delegate* unmanaged<byte*, int, int>)(uuid != 0 ? uuid : NativeLibraries.Export(lib, "cuDeviceGetUuid"));
        _deviceTotalMem = (delegate* unmanaged<nuint*, int, int>)NativeLibraries.Export(lib, "cuDeviceTotalMem_v2");
        _deviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)NativeLibraries.Export(lib, "cuDeviceGetAttribute");
        _getErrorString = (delegate* unmanaged<int, byte**, int>)NativeLibraries.Export(lib, "cuGetErrorString");
    }

    public static readonly string[] LibraryNames = ["libcuda.so.1", "libcuda.so"];

    public static CudaDriver? TryOpen(out string? reason)
    {
        var lib = NativeLibraries.TryLoad(LibraryNames);
        if (lib == 0)
        {
            reason = "no CUDA driver (libcuda.so.1 not found)";
            return null;
        }
        var driver = new CudaDriver(lib);
        if (driver._init == null || driver._deviceGetCount == null || driver._deviceGet == null)
        {
            reason = "libcuda.so.1 found but it lacks cuInit/cuDeviceGetCount/cuDeviceGet";
            return null;
        }
        var status = driver._init(0);
        reason = status == Success ? null : $"cuInit failed: {driver.ErrorText(status)}";
        return status == Success ? driver : null;
    }

    public int? DriverVersion() => Call(_driverGetVersion);

    public int DeviceCount(out string? error)
    {
        int count;
        var status = _deviceGetCount(&count);
        error = status == Success ? null : $"cuDeviceGetCount failed: {ErrorText(status)}";
        return status == Success ? count : 0;
    }

    public int? Device(int ordinal)
    {
        int device;
        return _deviceGet(&device, ordinal) == Success ? device : null;
    }

    public string? Name(int device)
    {
        if (_deviceGetName == null)
            return null;
        var buffer = stackalloc byte[256];
        return _deviceGetName(buffer, 256, device) == Success ? NativeLibraries.Utf8(new ReadOnlySpan<byte>(buffer, 256)) : null;
    }

    public byte[]? Uuid(int device)
    {
        if (_deviceGetUuid == null)
            return null;
        var bytes = new byte[16];
        fixed (byte* p = bytes)
            return _deviceGetUuid(p, device) == Success ? bytes : null;
    }

    public long? TotalMemory(int device)
    {
        if (_deviceTotalMem == null)
            return null;
        nuint bytes;
        return _deviceTotalMem(&bytes, device) == Success ? (long)bytes : null;
    }

    public int? Attribute(int device, int attribute)
    {
        if (_deviceGetAttribute == null)
            return null;
        int value;
        return _deviceGetAttribute(&value, attribute, device) == Success ? value : null;
    }

    private static int? Call(delegate* unmanaged<int*, int> fn)
    {
        if (fn == null)
            return null;
        int value;
        return fn(&value) == Success ? value : null;
    }

    private string ErrorText(int status)
    {
        byte* text = null;
        if (_getErrorString != null && _getErrorString(status, &text) == Success && text != null)
            return $"{new string((sbyte*)text)} (CUresult {status})";
        return $"CUresult {status}";
    }
}
