using System.Text.Json;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// Reads a run folder for reporting. Unlike <see cref="RunStore.Open"/> it never refuses: a missing, corrupt or newer
/// run.json and torn attempt lines become problems in <see cref="RunData.Problems"/>, and whatever is readable is reported.
/// </summary>
public static class RunFolderReader
{
    public static RunData Read(string folder)
    {
        if (!Directory.Exists(folder))
            throw new ReportInputException($"{folder}: no such run folder.");
        var problems = new List<string>();
        var manifest = ReadManifest(folder, problems);
        if (OtherHarnessVersion(manifest.HarnessVersion) is { } made)
            problems.Add($"{Path.Combine(folder, RunStore.ManifestFile)}: made by harness {made}, reported by {ThisVersion}: " +
                         "its numbers are recomputed by this version's rules; rerun or report it with that version to compare like with like.");
        var attemptsPath = Path.Combine(folder, RunStore.AttemptsFile);
        var log = AttemptLog.Read(attemptsPath);
        var (gaps, redone) = TornLines.Classify(attemptsPath, log);
        problems.AddRange(gaps);
        if (!File.Exists(attemptsPath))
            problems.Add($"{attemptsPath}: missing; no attempt was recorded.");
        var warnings = new List<string>();
        if (manifest.Kind == Unknown && manifest.Model.Length == 0 && ModelFromAttempts(log.Attempts) is { Length: > 0 } model)
        {
            // run.json unreadable, but every attempt recorded the model that answered it.
            manifest = manifest with { Model = model };
            warnings.Add($"{RunStore.ManifestFile} unreadable: model name \"{model}\" recovered from {RunStore.AttemptsFile}.");
        }
        return new RunData(folder, manifest, log.Attempts, problems) { Notes = redone, Warnings = warnings };
    }

    private const string Unknown = "unknown";

    // The models the attempts name, most used first ("a + b" when a run compared several).
    private static string ModelFromAttempts(IReadOnlyList<AttemptRecord> attempts) =>
        string.Join(" + ", attempts.Select(a => a.Model).Where(m => !string.IsNullOrEmpty(m)).GroupBy(m => m!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key));

    private static string ThisVersion => typeof(RunFolderReader).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "?";

    // "0.1.0 (commit …)" → "0.1.0" when that differs from this harness's version; null when equal or not recorded
    // (a different commit of the same version reads the same).
    private static string? OtherHarnessVersion(string recorded)
    {
        var version = recorded.Split(' ', 2)[0];
        if (!System.Version.TryParse(version, out _))
            return null;
        return version == ThisVersion ? null : version;
    }

    private static RunManifest ReadManifest(string folder, List<string> problems)
    {
        try
        {
            return RunStore.Open(folder).Manifest;
        }
        catch (RunStoreException e)
        {
            problems.Add(e.Message);
        }
        // A newer format may still carry the fields we know; read them without the version check.
        var path = Path.Combine(folder, RunStore.ManifestFile);
        if (File.Exists(path))
        {
            try
            {
                var lenient = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), HarnessJson.Options);
                if (lenient is not null)
                    return lenient;
            }
            catch (JsonException)
            {
                // Already reported above; fall back to an empty manifest.
            }
        }
        return new RunManifest { RunId = Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/')), Kind = Unknown };
    }
}
