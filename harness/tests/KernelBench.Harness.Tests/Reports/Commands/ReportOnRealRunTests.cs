using KernelBench.Harness.Cli;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.Commands;

/// <summary>`kbh report` on a folder written by the real `kbh run` (the offline replay demo on the sample problems).</summary>
[Category("Slow")]
public sealed class ReportOnRealRunTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static async Task<(int Code, string Output)> Kbh(params string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 200;
        var code = await KbhApp.RunAsync(args, console);
        return (code, console.Output);
    }

    [Test]
    public async Task Report_FolderFromKbhRunDemo_OneRowPerProblemAndEveryAttemptCounted()
    {
        var demo = Path.Combine(Paths.RepoRoot, "problems", "demo.yaml");
        var run = _temp.Sub("run");
        var config = File.ReadAllLines(demo).Select(line =>
            line.StartsWith("kernelbench:") ? $"kernelbench: {Paths.SampleProblems}"
            : line.TrimStart().StartsWith("replay_from:") ? $"  replay_from: {Path.Combine(Paths.SampleProblems, "demo-run")}"
            : line.StartsWith("out:") ? $"out: {run}" : line);
        var configPath = _temp.Sub("demo.yaml");
        await File.WriteAllLinesAsync(configPath, config);
        var (runCode, runOutput) = await Kbh("run", "--config", configPath);
        Assert.That(runCode, Is.Zero, runOutput);

        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        var problems = File.ReadAllLines(Path.Combine(run, "report", "problems.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(problems.Select(p => $"L{p[0]}/{p[1]}"), Is.EqualTo(new[] { "L1/1", "L1/2", "L1/3", "L2/1" }));
        var attemptLines = File.ReadAllLines(Path.Combine(run, "attempts.jsonl")).Count(l => l.Length > 0);
        Assert.That(problems.Sum(p => int.Parse(p[5])), Is.EqualTo(attemptLines), "every recorded attempt is counted once");
        var all = File.ReadAllLines(Path.Combine(run, "report", "summary.csv")).Last().Split(',');
        Assert.That((all[0], all[1]), Is.EqualTo(("all", "4")));
        Assert.That(File.Exists(Path.Combine(run, "report", "report.html")), Is.True);
    }

    [Test]
    public async Task Report_FolderFromKbhEval_SpeedupRecomputableFromTheAttempts()
    {
        var candidates = _temp.Sub("candidates");
        Directory.CreateDirectory(Path.Combine(candidates, "level1"));
        File.Copy(Path.Combine(Paths.SampleCandidates, "correct", "level1", "2.py"), Path.Combine(candidates, "level1", "2.py"));
        File.Copy(Path.Combine(Paths.SampleCandidates, "wrong", "level1", "3.py"), Path.Combine(candidates, "level1", "3.py"));
        var run = _temp.Sub("run");
        var (evalCode, evalOutput) = await Kbh("eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--candidates", candidates, "--out", run,
            "--perf-trials", "3", "--trials", "2");
        Assert.That(evalCode, Is.Zero, evalOutput);

        var (code, output) = await Kbh("report", run);
        Assert.That(code, Is.Zero, output);
        var lines = File.ReadAllLines(Path.Combine(run, "report", "problems.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(r => $"L{r[0]}/{r[1]}");
        string Cell(string key, string column) => rows[key][Array.IndexOf(header, column)];
        Assert.That(Cell("L1/2", "best_status"), Is.EqualTo("correct"));
        Assert.That(Cell("L1/3", "best_status"), Is.EqualTo("incorrect"));
        // The speedup in the report is the recorded reference mean over the recorded candidate mean.
        var verdict = KernelBench.Harness.Store.RunStore.Open(run).ReadAttempts().Attempts.Single(a => a.ProblemKey == "L1/2").Verdict!;
        var expected = verdict.Speedup ?? verdict.RefRuntime!.MeanMs / verdict.Runtime!.MeanMs;
        Assert.That(double.Parse(Cell("L1/2", "speedup"), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(1e-6));
    }
}
