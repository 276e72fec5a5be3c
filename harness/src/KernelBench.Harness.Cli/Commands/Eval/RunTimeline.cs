using System.Diagnostics;
using System.Text.Json.Nodes;
using KernelBench.Harness.Scoring;

namespace KernelBench.Harness.Cli.Commands.Eval;

/// <summary>
/// When a `kbh eval --candidates` process reached each stage, from its own start (loading the problems, judging, stopping
/// the workers), written to the run folder as timeline.json: where the wall time outside the candidates' own verdicts
/// went. Each run of the command writes its own; a rerun into the same folder replaces it.
/// </summary>
internal sealed class RunTimeline
{
    public const string FileName = "timeline.json";

    private readonly DateTimeOffset _processStarted = ProcessStart();
    private readonly List<(string Name, DateTimeOffset At)> _marks = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="name"/> was reached now.</summary>
    public void Mark(string name)
    {
        lock (_marks)
            _marks.Add((name, DateTimeOffset.UtcNow));
    }

    /// <summary>Records a count that explains the stages (e.g. build workers started, builds skipped).</summary>
    public void Count(string name, int value)
    {
        lock (_marks)
            _counts[name] = value;
    }

    /// <summary>Writes timeline.json into <paramref name="folder"/> (atomically: a reader never sees half of it).</summary>
    public void Write(string folder)
    {
        var marks = new JsonArray();
        var counts = new JsonObject();
        lock (_marks)
        {
            foreach (var (name, at) in _marks)
                marks.Add(new JsonObject { ["name"] = name, ["at"] = at.ToString("O"), ["seconds"] = Math.Round((at - _processStarted).TotalSeconds, 3) });
            foreach (var (name, value) in _counts)
                counts[name] = value;
        }
        var json = new JsonObject { ["process_started"] = _processStarted.ToString("O"), ["marks"] = marks, ["counts"] = counts };
        AtomicFile.WriteAllText(Path.Combine(folder, FileName),
            json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private static DateTimeOffset ProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
