using System.Text;
using System.Text.Json;
using KernelBench.Harness.Scoring;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store;

/// <summary>
/// A run folder: run.json (the manifest, written once), attempts.jsonl (one finished attempt per line,
/// appended and flushed to disk before the next begins) and started.jsonl (an attempt's start of judging, flushed
/// before the verifier sees it). A line cut short by a kill is ignored on read, so a resumed run redoes that attempt
/// and counts nothing twice; an attempt started and not finished is judged again, or marked harness_interrupted.
/// </summary>
public sealed class RunStore
{
    public const string ManifestFile = "run.json";
    public const string AttemptsFile = "attempts.jsonl";

    /// <summary>The judging starts of a run's attempts (<see cref="StartedRecord"/>): what a resume needs when a kill came mid-judging.</summary>
    public const string StartedFile = "started.jsonl";

    /// <summary>Written when a run ends with every problem's budget spent, so a scheduler can tell a finished shard from a dead one.</summary>
    public const string FinishedFile = "finished.json";

    private readonly object _gate = new();

    private RunStore(string folder, RunManifest manifest)
    {
        Folder = folder;
        Manifest = manifest;
    }

    public string Folder { get; }
    public RunManifest Manifest { get; }

    public string AttemptsPath => Path.Combine(Folder, AttemptsFile);
    public string StartedPath => Path.Combine(Folder, StartedFile);

    /// <summary>Creates a new run folder; refuses one that already holds a run.</summary>
    public static RunStore Create(string folder, RunManifest manifest)
    {
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (File.Exists(manifestPath))
            throw new RunStoreException($"{manifestPath}: a run already exists here; resume it or choose another folder.");
        AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, HarnessJson.Indented));
        return new RunStore(folder, manifest);
    }

    /// <summary>Opens an existing run folder.</summary>
    public static RunStore Open(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new RunStoreException($"{folder}: not a run folder ({ManifestFile} is missing).");
        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(manifestPath), HarnessJson.Options);
        }
        catch (JsonException e)
        {
            throw new RunStoreException($"{manifestPath}: not a valid run manifest ({e.Message}).");
        }
        if (manifest is null)
            throw new RunStoreException($"{manifestPath}: empty run manifest.");
        if (manifest.Format > RunManifest.CurrentFormat)
            throw new RunStoreException($"{manifestPath}: written by a newer harness (format {manifest.Format}); this one reads format {RunManifest.CurrentFormat}.");
        return new RunStore(folder, manifest);
    }

    /// <summary>Opens the folder if it holds a run, else creates it.</summary>
    public static RunStore OpenOrCreate(string folder, RunManifest manifest) =>
        File.Exists(Path.Combine(folder, ManifestFile)) ? Open(folder) : Create(folder, manifest);

    /// <summary>Appends one finished attempt and flushes it to disk. Safe to call from several threads.</summary>
    public void Append(AttemptRecord attempt) => AppendLine(AttemptsPath, attempt);

    /// <summary>Records, flushed to disk, that judging an attempt begins (or was stopped cleanly); call before the verifier sees it.</summary>
    public void MarkStarted(StartedRecord started) => AppendLine(StartedPath, started);

    /// <summary>Every readable line of started.jsonl, in the order written.</summary>
    public IReadOnlyList<StartedRecord> ReadStarted() => StartLog.Read(StartedPath);

    private void AppendLine<T>(string path, T record)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, HarnessJson.Options) + "\n");
        lock (_gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// Ends a line torn by a kill with a newline, so the next append starts on a line of its own instead of gluing
    /// a good record onto the torn one. Called before a resumed run appends.
    /// </summary>
    public void EndTornLine()
    {
        EndTornLine(AttemptsPath);
        EndTornLine(StartedPath);
    }

    private void EndTornLine(string path)
    {
        lock (_gate)
        {
            if (!File.Exists(path))
                return;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            if (stream.Length == 0)
                return;
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() == '\n')
                return;
            stream.Seek(0, SeekOrigin.End);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
        }
    }

    public bool IsFinished => File.Exists(Path.Combine(Folder, FinishedFile));

    /// <summary>Marks the run finished (every problem's budget spent or stopped); a resumed run that ends marks it again.
    /// It records the candidates' sandbox over the run (<see cref="SandboxSummary"/>).</summary>
    public void MarkFinished(AttemptLog log) => AtomicFile.WriteAllText(Path.Combine(Folder, FinishedFile),
        JsonSerializer.Serialize(new
        {
            EndedAt = DateTimeOffset.UtcNow, Attempts = log.Attempts.Count,
            Sandbox = SandboxSummary.Of(log.Attempts.Select(a => a.Verdict)),
        }, HarnessJson.Indented));

    /// <summary>Every complete attempt in the folder, in the order written. Torn or unreadable lines are reported, not thrown.</summary>
    public AttemptLog ReadAttempts() => AttemptLog.Read(AttemptsPath);
}
