using System.Diagnostics;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>`kbh run` as a real child process, killed with SIGKILL mid-run, then `kbh run --resume`: every attempt exactly once.</summary>
[Category("Slow")]
public sealed class KillAndResumeTests
{
    private const int Budget = 6;

    [Test]
    public async Task Resume_AfterKill9_EveryAttemptExactlyOnce()
    {
        await using var server = new ScriptedModelServer();
        var dir = LoopFixture.TempDir();
        Directory.CreateDirectory(dir);
        var runDir = Path.Combine(dir, "run");
        var config = Path.Combine(dir, "run.yaml");
        File.WriteAllText(config, $"""
            kernelbench: {Paths.SampleProblems}
            problems: {"{"} level: 1, ids: [1, 2] {"}"}
            model: {"{"} base_url: {server.BaseUrl}, name: deepseek-ai/deepseek-r1, max_retries: 1 {"}"}
            budget: {"{"} attempts: {Budget} {"}"}
            strategy: hybrid
            samples: 2
            parallel_problems: 2
            device: cpu
            out: run
            """);
        try
        {
            // The server kills the run from its own request thread once the 7th request arrives: mid-run, deterministically.
            Process? first = null;
            var requests = 0;
            server.Fallback = _ =>
            {
                if (Interlocked.Increment(ref requests) == 7)
                    first!.Kill(entireProcessTree: true); // SIGKILL: no cleanup, no flush
                return LoopFixture.Answer("incorrect") with { EventDelayMs = 50 };
            };
            using (first = Kbh("run", "--config", config))
            {
                Assert.That(first.WaitForExit(TimeSpan.FromSeconds(120)), Is.True, "the first run did not end");
                Assert.That(first.ExitCode, Is.Not.EqualTo(0), "the first run finished before it could be killed");
            }
            var beforeResume = RunStore.Open(runDir).ReadAttempts().Attempts.Count;
            Assert.That(beforeResume, Is.InRange(1, 2 * Budget - 1));

            using var second = Kbh("run", "--resume", runDir);
            var output = await second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync();
            Assert.That(second.ExitCode, Is.EqualTo(0), output + await second.StandardError.ReadToEndAsync());

            var stored = RunStore.Open(runDir).ReadAttempts().Attempts;
            Assert.That(stored.GroupBy(a => (a.ProblemKey, a.Chain, a.Index)).Where(g => g.Count() > 1), Is.Empty);
            foreach (var problem in stored.GroupBy(a => a.ProblemKey))
            {
                Assert.That(problem.Count(), Is.EqualTo(Budget), problem.Key);
                foreach (var chain in problem.GroupBy(a => a.Chain))
                    Assert.That(chain.Select(a => a.Index).Order(), Is.EqualTo(Enumerable.Range(0, chain.Count())), $"{problem.Key} chain {chain.Key}");
            }
            Assert.That(stored.Select(a => a.ProblemKey).Distinct().Order(), Is.EqualTo(new[] { "L1/1", "L1/2" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process Kbh(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kbh.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }
}
