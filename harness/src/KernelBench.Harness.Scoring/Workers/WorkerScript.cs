using System.Reflection;
using System.Security.Cryptography;

namespace KernelBench.Harness.Scoring.Workers;

/// <summary>
/// The Python worker's files, embedded in this assembly and extracted into a cache folder named by their content hash,
/// so a single-file harness needs nothing beside it and two harness versions never share a worker.
/// </summary>
public static class WorkerScript
{
    private const string Prefix = "kbh-worker/";
    public const string EntryFile = "kbh_worker.py";

    /// <summary>Extracts (once) and returns the path of the worker's entry script.</summary>
    public static string Extract(string? cacheRoot = null)
    {
        var assembly = typeof(WorkerScript).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (Name: n[Prefix.Length..], Bytes: Read(assembly, n)))
            .ToList();
        if (!files.Any(f => f.Name == EntryFile))
            throw new InvalidOperationException($"the harness was built without its worker ({EntryFile} is not embedded).");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\n"));
            hash.AppendData(bytes);
        }
        var folder = Path.Combine(cacheRoot ?? DefaultCacheRoot(), "worker", Convert.ToHexStringLower(hash.GetHashAndReset())[..16]);
        var entry = Path.Combine(folder, EntryFile);
        if (File.Exists(entry))
        {
            // Verified at every start, not trusted as found: a changed or added script (a torch.py beside the worker
            // shadows torch) is replaced by the embedded ones.
            if (Matches(folder, files))
                return entry;
            Directory.Move(folder, folder + ".stale-" + Guid.NewGuid().ToString("N")[..8]);
        }

        // Write into a private folder, then move it into place: a concurrent harness never sees half a worker.
        var staging = folder + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        foreach (var (name, bytes) in files)
            File.WriteAllBytes(Path.Combine(staging, name), bytes);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(entry))
        {
            Directory.Delete(staging, recursive: true); // another process won the race with identical content
        }
        return entry;
    }

    /// <summary>$KBH_CACHE, else $XDG_CACHE_HOME/kbh, else ~/.cache/kbh.</summary>
    public static string DefaultCacheRoot()
    {
        if (Environment.GetEnvironmentVariable("KBH_CACHE") is { Length: > 0 } kbh)
            return kbh;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home.Length > 0 ? home : Path.GetTempPath(), ".cache"), "kbh");
    }

    private static bool Matches(string folder, List<(string Name, byte[] Bytes)> files)
    {
        var present = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Where(n => n != "__pycache__").ToHashSet(StringComparer.Ordinal);
        if (!present.SetEquals(files.Select(f => f.Name)))
            return false;
        return files.All(f => new FileInfo(Path.Combine(folder, f.Name)) is { LinkTarget: null } info && info.Length == f.Bytes.Length
                              && File.ReadAllBytes(info.FullName).AsSpan().SequenceEqual(f.Bytes));
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
