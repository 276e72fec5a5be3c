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
        var attemptsPath = Path.Combine(folder, RunStore.AttemptsFile);
        var log = AttemptLog.Read(attemptsPath);
        var (gaps, redone) = TornLines.Classify(attemptsPath, log);
        problems.AddRange(gaps);
        if (!File.Exists(attemptsPath))
            problems.Add($"{attemptsPath}: missing; no attempt was recorded.");
        return new RunData(folder, manifest, log.Attempts, problems) { Notes = redone };
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
        return new RunManifest { RunId = Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/')), Kind = "unknown" };
    }
}
