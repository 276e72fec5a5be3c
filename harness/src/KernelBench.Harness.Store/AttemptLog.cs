using System.Text.Json;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Store;

/// <summary>The attempts read back from attempts.jsonl, and the lines that could not be read (a torn last line after a kill).</summary>
public sealed record AttemptLog(IReadOnlyList<AttemptRecord> Attempts, IReadOnlyList<string> Problems)
{
    public bool IsPartial => Problems.Count > 0;

    public static AttemptLog Read(string path)
    {
        var attempts = new List<AttemptRecord>();
        var problems = new List<string>();
        if (!File.Exists(path))
            return new AttemptLog(attempts, problems);
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                var attempt = JsonSerializer.Deserialize<AttemptRecord>(line, HarnessJson.Options);
                if (attempt is not null)
                    attempts.Add(attempt);
            }
            catch (JsonException e)
            {
                problems.Add($"{path}:{lineNo}: unreadable attempt ({e.Message}); it will be redone on resume");
            }
        }
        return new AttemptLog(attempts, problems);
    }
}
