using System.Runtime.InteropServices;

namespace KernelBench.Harness.Scoring.Gpu;

/// <summary>
/// Loads a vendor library at run time by trying several sonames and the usual CUDA folders, so a machine without it
/// is a reason in the report, not a DllNotFoundException. Nothing is bound at build time, which keeps a trimmed
/// single-file publish working on machines with and without a GPU.
/// </summary>
internal static class NativeLibraries
{
    public static nint TryLoad(IEnumerable<string> names)
    {
        foreach (var name in names.SelectMany(Candidates))
            if (NativeLibrary.TryLoad(name, out var handle))
                return handle;
        return 0;
    }

    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        if (name.Contains('/'))
            yield break;
        foreach (var dir in Folders())
            yield return Path.Combine(dir, name);
    }

    private static IEnumerable<string> Folders()
    {
        foreach (var variable in new[] { "CUDA_HOME", "CUDA_PATH" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } home)
                yield return Path.Combine(home, "lib64");
        yield return "/usr/local/cuda/lib64";
        yield return "/usr/lib/x86_64-linux-gnu";
        yield return "/usr/lib64";
        yield return "/usr/lib/wsl/lib";
    }

    /// <summary>The export's address, or 0 when this version of the library does not have it.</summary>
    public static nint Export(nint library, string name) =>
        library != 0 && NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;

    /// <summary>A NUL-terminated UTF-8 string out of a fixed buffer.</summary>
    public static string Utf8(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]).Trim();
    }
}
