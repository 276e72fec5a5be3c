using System.Text.Json;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store;

/// <summary>started.jsonl read back: which started attempts never got a verdict, and how often the harness died judging them.</summary>
public static class StartLog
{
    public static IReadOnlyList<StartedRecord> Read(string path)
    {
        var records = new List<StartedRecord>();
        if (!File.Exists(path))
            return records;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                if (JsonSerializer.Deserialize<StartedRecord>(line, HarnessJson.Options) is { } r)
                    records.Add(r);
            }
            catch (JsonException) // a line torn by a kill: that start never reached the verifier
            {
            }
        }
        return records;
    }

    /// <summary>
    /// The started attempts with no verdict among <paramref name="finished"/>, in the order first started. A start
    /// followed by a clean cancel (the run was stopped, the candidate did nothing) does not count against it.
    /// </summary>
    public static IReadOnlyList<UnfinishedAttempt> Unfinished(IReadOnlyList<StartedRecord> records, IEnumerable<AttemptRecord> finished)
    {
        var done = finished.Select(a => (a.ProblemKey, a.Chain, a.Index)).ToHashSet();
        var result = new List<UnfinishedAttempt>();
        foreach (var group in records.GroupBy(r => (r.ProblemKey, r.Chain, r.Index)).Where(g => !done.Contains(g.Key)))
        {
            AttemptRecord? attempt = null;
            var starts = new List<DateTimeOffset>();
            foreach (var r in group)
            {
                if (r.Event == StartedRecord.Started && r.Attempt is not null)
                {
                    attempt ??= r.Attempt;
                    starts.Add(r.At);
                }
                else if (r.Event == StartedRecord.Cancelled && starts.Count > 0)
                    starts.RemoveAt(starts.Count - 1);
            }
            if (attempt is not null)
                result.Add(new UnfinishedAttempt(attempt, starts.Count, starts));
        }
        return result;
    }
}
