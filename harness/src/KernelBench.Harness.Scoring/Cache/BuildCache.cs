using System.Text.Json;

namespace KernelBench.Harness.Scoring.Cache;

/// <summary>
/// The content-addressed build cache on disk, as the Python side (harness/worker/kbh_build_cache.py) writes it:
/// one folder per key, published by an atomic rename with a <see cref="MarkerFile"/> inside; `.tmp-KEY-*` folders are
/// builds in progress or builds that died (never loaded); `KEY.lock` files serialise builds of one key; `KEY.failed`
/// files keep a key's compile error, raised again without compiling (the compiler's verdict on the same inputs).
/// </summary>
public sealed class BuildCache(string root)
{
    /// <summary>Written last in a finished build; a folder without it is never loaded.</summary>
    public const string MarkerFile = "KBH_COMPLETE";

    /// <summary>Triton's own cache (TRITON_CACHE_DIR), kept inside the root: not an entry, but cleared with the rest.</summary>
    public const string TritonFolder = ".triton";

    /// <summary>
    /// The compiler launcher's store (kbh_cc.py): objects/ (one compiled file per key), pch/ (precompiled
    /// torch/extension.h per compiler and flags), include/ (the light header), bin/ (the launcher scripts).
    /// Not an entry, but counted and cleared with the rest.
    /// </summary>
    public const string LauncherFolder = "cc";

    /// <summary>Build records (<see cref="CandidateBuildRecords"/>): not entries, cleared with the rest.</summary>
    public const string RecordsFolder = ".candidates";

    /// <summary>Environment variable that moves the cache.</summary>
    public const string RootVariable = "KBH_CACHE";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The builds folder under the harness cache ($KBH_CACHE, else $XDG_CACHE_HOME/kbh, else ~/.cache/kbh), where workers build.</summary>
    public static string DefaultRoot() => Path.Combine(Workers.WorkerScript.DefaultCacheRoot(), "builds");

    /// <summary>Finished entries, newest first; a marker that cannot be read still counts, with what is known.</summary>
    public IReadOnlyList<BuildCacheEntry> Entries()
    {
        if (!Directory.Exists(Root))
            return [];
        return new DirectoryInfo(Root).EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.') && File.Exists(Path.Combine(d.FullName, MarkerFile)))
            .Select(ReadEntry)
            .OrderByDescending(e => e.Created)
            .ToList();
    }

    public BuildCacheInfo Info()
    {
        var entries = Entries();
        var unfinished = Directory.Exists(Root)
            ? new DirectoryInfo(Root).EnumerateDirectories()
                .Count(d => d.Name != TritonFolder && d.Name != LauncherFolder && d.Name != RecordsFolder && !File.Exists(Path.Combine(d.FullName, MarkerFile)))
            : 0;
        var launcher = new DirectoryInfo(Path.Combine(Root, LauncherFolder));
        var objects = Path.Combine(launcher.FullName, "objects");
        return new BuildCacheInfo(Root, entries.Count, entries.Sum(e => e.Bytes), entries.FirstOrDefault()?.Created, unfinished)
        {
            Objects = Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*.o", SearchOption.AllDirectories).Count() : 0,
            LauncherBytes = launcher.Exists ? launcher.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0,
            Failed = Directory.Exists(Root) ? Directory.EnumerateFiles(Root, "*" + FailedSuffix).Count() : 0,
        };
    }

    /// <summary>
    /// Removes every entry, unfinished build, kept compile error and lock file; returns how many entries were removed.
    /// Run it when no build is in progress: a build that is running keeps its library in memory but loses its folder.
    /// </summary>
    public int Clear()
    {
        if (!Directory.Exists(Root))
            return 0;
        var removed = Entries().Count;
        foreach (var dir in Directory.EnumerateDirectories(Root))
            Directory.Delete(dir, recursive: true);
        foreach (var pattern in new[] { "*.lock", "*" + FailedSuffix })
            foreach (var file in Directory.EnumerateFiles(Root, pattern))
                File.Delete(file);
        return removed;
    }

    /// <summary>A key's kept compile error: `KEY.failed` beside the entries.</summary>
    public const string FailedSuffix = ".failed";

    private static BuildCacheEntry ReadEntry(DirectoryInfo dir)
    {
        var bytes = dir.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        var marker = Path.Combine(dir.FullName, MarkerFile);
        var created = new DateTimeOffset(File.GetLastWriteTimeUtc(marker), TimeSpan.Zero);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(marker));
            var meta = doc.RootElement;
            var name = meta.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            var seconds = meta.TryGetProperty("build_seconds", out var s) && s.TryGetDouble(out var v) ? v : (double?)null;
            return new BuildCacheEntry(dir.Name, name, bytes, created, seconds);
        }
        catch (JsonException)
        {
            return new BuildCacheEntry(dir.Name, "", bytes, created, null);
        }
    }
}

/// <summary>One finished build: its key (folder name), the extension's name, size on disk, when it finished and how long it took.</summary>
public sealed record BuildCacheEntry(string Key, string Name, long Bytes, DateTimeOffset Created, double? BuildSeconds);

/// <summary>
/// A summary of the cache: finished entries, their bytes, the newest, unfinished (building or dead) folders, and the
/// compiler launcher's cached objects and bytes (objects and precompiled headers).
/// </summary>
public sealed record BuildCacheInfo(string Root, int Entries, long Bytes, DateTimeOffset? Newest, int Unfinished)
{
    public int Objects { get; init; }
    public long LauncherBytes { get; init; }

    /// <summary>Keys whose compile error is kept (`KEY.failed`).</summary>
    public int Failed { get; init; }
}
