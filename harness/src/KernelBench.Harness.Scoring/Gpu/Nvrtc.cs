namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>NVRTC's version (nvrtcVersion), when a libnvrtc is installed: it is the runtime compiler a CUDA build may use.</summary>
internal static unsafe class Nvrtc
{
    private static readonly string[] LibraryNames =
        ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.1", "libnvrtc.so.11.0"];

    public static string? Version()
    {
        var version = (delegate* unmanaged<int*, int*, int>)NativeLibraries.Export(NativeLibraries.TryLoad(LibraryNames), "nvrtcVersion");
        if (version == null)
            return null;
        int major, minor;
        return version(&major, &minor) == 0 ? $"{major}.{minor}" : null;
    }
}
