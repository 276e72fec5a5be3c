using KernelBench.Harness.Store;

namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// What a report is computed from: the run's manifest and its attempts, plus what could not be read.
/// Problems is non-empty when the folder was incomplete (torn line, missing or newer run.json): the report is then partial.
/// </summary>
public sealed record RunData(string Folder, RunManifest Manifest, IReadOnlyList<AttemptRecord> Attempts, IReadOnlyList<string> Problems)
{
    public bool IsPartial => Problems.Count > 0;

    /// <summary>What a reader should know that costs no number, e.g. a torn line that a resumed run redid.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What could change a reader's conclusion without making the input partial (missing problems, another GPU).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Names of problems that may have no attempt (an import's baseline file names the whole level).</summary>
    public IReadOnlyDictionary<ProblemKey, string> ProblemNames { get; init; } = new Dictionary<ProblemKey, string>();

    /// <summary>An import's settings; null for a harness run (its run.json and verdicts say them).</summary>
    public ImportedSettings? Imported { get; init; }

    /// <summary>Every problem of the run: those the manifest lists and those with attempts, ordered by level then id.</summary>
    public IReadOnlyList<ProblemKey> ProblemKeys()
    {
        var keys = new HashSet<ProblemKey>();
        foreach (var text in Manifest.ProblemKeys)
            if (ProblemKey.TryParse(text, out var key))
                keys.Add(key);
        foreach (var a in Attempts)
            keys.Add(new ProblemKey(a.Level, a.ProblemId));
        return keys.OrderBy(k => k.Level).ThenBy(k => k.Id).ToList();
    }
}
