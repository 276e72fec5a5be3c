namespace KernelBench.Harness.Scoring.Engine;

/// <summary>Where a candidate's source is written for the worker, and where its extensions go: named by its SHA-256.</summary>
internal sealed class CandidateFiles(string folder)
{
    /// <summary>The short key the worker knows a candidate by.</summary>
    public static string Key(string sha) => sha[..16];

    /// <summary>The folder every candidate's file is written to (its extensions in ext/ under it).</summary>
    public string Folder => folder;

    public string ExtensionsDir(string sha) => Path.Combine(folder, "ext", Key(sha));

    /// <summary>The candidate's file, written once (atomically) per source.</summary>
    public string Write(string source, string sha)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Key(sha) + ".py");
        if (!File.Exists(path))
            AtomicFile.WriteAllText(path, source);
        return path;
    }
}
