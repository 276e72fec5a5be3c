using System.Diagnostics;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Scoring.Engine;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>
/// The real `kbh run` and worker, SIGKILLed while a candidate is being judged (once its start is on disk): a resume
/// judges that attempt again without asking the model again; killed at it twice, the next resume records it as
/// harness_interrupted and goes on past it. Every attempt is stored exactly once either way.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public sealed class KilledWhileJudgingTests
{
    private const int Budget = 3;

    // Sleeps in its process's first forward, so the judging is surely under way when the test kills kbh; then wrong.
    private const string Sleeper = """
        Slow to run.
        ```python
        import time
        import torch
        _slept = False
        class ModelNew(torch.nn.Module):
            def forward(self, x):
                global _slept
                if not _slept:
                    _slept = True
                    time.sleep(8)
                return x * 3.0
        ```
        """;

    [Test]
    public async Task Resume_KilledWhileJudging_JudgesThatAttemptAgainAndStoresEachOnce()
    {
        await using var run = new KillableRun(Budget);
        run.KillAtStart(index: 0, starts: 1);

        var output = run.Finish("--resume", run.Folder);

        Assert.That(output, Does.Contain("attempt 1 was being judged when the run stopped: judged again"));
        var stored = run.Stored();
        Assert.That(stored.Select(a => a.Index), Is.EqualTo(new[] { 0, 1, 2 }), "each attempt once, in order");
        Assert.That(stored[0].Code, Does.Contain("time.sleep(8)"), "the started attempt is the one judged again");
        Assert.That(stored[0].Status, Is.EqualTo("incorrect"), "judged again, to a real verdict");
        Assert.That(stored[0].ChargedSeconds, Is.GreaterThanOrEqualTo(8), "the judging that finished is charged");
        Assert.That(run.Starts(0), Is.EqualTo(2));
        Assert.That(run.Server.ChatRequests, Has.Count.EqualTo(Budget), "the model was not asked again for the killed attempt");
    }

    [Test]
    public async Task Resume_KilledTwiceAtTheSameCandidate_HarnessInterruptedAndTheRunGoesOn()
    {
        await using var run = new KillableRun(Budget);
        run.KillAtStart(index: 0, starts: 1);
        run.KillAtStart(index: 0, starts: 2, "--resume", run.Folder);

        var output = run.Finish("--resume", run.Folder);

        var stored = run.Stored();
        Assert.That(stored.Select(a => a.Index), Is.EqualTo(new[] { 0, 1, 2 }), "each attempt once, in order");
        Assert.That(stored[0].Status, Is.EqualTo("harness_interrupted"));
        Assert.That(stored[0].Verdict!.Status, Is.EqualTo(VerdictStatus.HarnessInterrupted));
        Assert.That(stored[0].Verdict!.Reason, Does.Contain("killed each of the 2 times"));
        Assert.That(stored[0].Code, Does.Contain("time.sleep(8)"));
        Assert.That(run.Starts(0), Is.EqualTo(2), "not judged a third time");
        Assert.That(stored.Skip(1).Select(a => a.Status), Has.None.EqualTo("harness_interrupted"));
        Assert.That(output, Does.Contain("attempt 1 was being judged when the run stopped: the harness died judging it twice"));
        Assert.That(output, Does.Contain("harness_interrupted"));
        Assert.That(run.Server.ChatRequests, Has.Count.EqualTo(Budget));
        // The next attempt's feedback tells the model what became of its code.
        Assert.That((string)run.Server.ChatRequests[1].Json["messages"]![2]!["content"]!, Does.Contain("took the harness down"));

        var report = KbhProcess.Run(["report", run.Folder], environment: run.Environment);
        Assert.That(report.ExitCode, Is.EqualTo(0), report.Stdout + report.Stderr);
        var csv = File.ReadAllText(Path.Combine(run.Folder, "report", "problems.csv"));
        Assert.That(csv, Does.Not.Contain(",correct,"), "a harness_interrupted attempt is a failed one");
    }

    /// <summary>A run folder over sample problem L1/1 whose first answer is <see cref="Sleeper"/>, and the kbh processes run on it.</summary>
    private sealed class KillableRun : IAsyncDisposable
    {
        private readonly TempDir _dir = new();
        private readonly string _config;
        private int _requests;

        public KillableRun(int budget)
        {
            Server.Fallback = _ => Interlocked.Increment(ref _requests) == 1
                ? ServerReply.Streamed(Sleeper, "thinking", completionTokens: 50)
                : LoopFixture.Answer("incorrect");
            Folder = Path.Combine(_dir.Path, "run");
            Environment = new Dictionary<string, string?> { ["KBH_PYTHON"] = ScoringFixtures.Python, ["KBH_CACHE"] = Path.Combine(_dir.Path, "cache") };
            _config = _dir.File("run.yaml", $$"""
                kernelbench: {{Paths.SampleProblems}}
                problems: { level: 1, ids: [1] }
                model: { base_url: {{Server.BaseUrl}}, name: deepseek-ai/deepseek-r1, max_retries: 1 }
                budget: { attempts: {{budget}} }
                strategy: sequential
                device: cpu
                out: {{Folder}}
                """);
        }

        public ScriptedModelServer Server { get; } = new();
        public string Folder { get; }
        public Dictionary<string, string?> Environment { get; }

        /// <summary>Runs kbh (a new run unless args say otherwise) and SIGKILLs it once attempt <paramref name="index"/> has that many starts on disk.</summary>
        public void KillAtStart(int index, int starts, params string[] args)
        {
            using var kbh = Start(args.Length > 0 ? ["run", .. args] : ["run", "--config", _config]);
            var watch = Stopwatch.StartNew();
            while (Starts(index) < starts && !kbh.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3))
                Thread.Sleep(50);
            Assert.That(Starts(index), Is.EqualTo(starts), $"attempt {index + 1} started judging (kbh exited: {kbh.HasExited})");
            kbh.Kill(entireProcessTree: false); // SIGKILL of kbh alone: its workers must die with it, as on a real crash
            Assert.That(kbh.WaitForExit(TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(Stored().Where(a => a.Index == index), Is.Empty, "killed before its verdict");
            WaitForWorkersToEnd();
        }

        /// <summary>Runs kbh to its end; returns its output.</summary>
        public string Finish(params string[] args)
        {
            var result = KbhProcess.Run(["run", .. args], environment: Environment, timeout: TimeSpan.FromMinutes(5));
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
            return System.Text.RegularExpressions.Regex.Replace(result.Stdout, @"\s+", " "); // the console wraps long lines
        }

        public List<AttemptRecord> Stored()
        {
            var log = RunStore.Open(Folder).ReadAttempts();
            Assert.That(log.Attempts.GroupBy(a => (a.ProblemKey, a.Chain, a.Index)).Where(g => g.Count() > 1), Is.Empty, "no attempt stored twice");
            return log.Attempts.OrderBy(a => a.Index).ToList();
        }

        public int Starts(int index) => File.Exists(Path.Combine(Folder, RunStore.ManifestFile))
            ? RunStore.Open(Folder).ReadStarted().Count(r => r.Index == index && r.Event == StartedRecord.Started)
            : 0;

        private Process Start(string[] args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Paths.RepoRoot };
            foreach (var a in new[] { KbhProcess.KbhDll }.Concat(args))
                info.ArgumentList.Add(a);
            foreach (var (k, v) in Environment)
                info.Environment[k] = v;
            var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            return process;
        }

        // Workers are started with a capture file under the run's cache, so their command line names it.
        private void WaitForWorkersToEnd()
        {
            var cache = Environment["KBH_CACHE"]!;
            var watch = Stopwatch.StartNew();
            while (Workers(cache) > 0 && watch.Elapsed < TimeSpan.FromSeconds(20))
                Thread.Sleep(100);
            Assert.That(Workers(cache), Is.Zero, "the killed kbh's workers ended with it");
        }

        private static int Workers(string cache) => Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Count(d =>
            {
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(d, "cmdline"));
                    return cmdline.Contains("kbh_worker.py") && cmdline.Contains(cache);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            });

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            _dir.Dispose();
        }
    }
}
