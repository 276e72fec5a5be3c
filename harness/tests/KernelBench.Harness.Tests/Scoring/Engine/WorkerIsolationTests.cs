using System.Diagnostics;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>Hangs and crashes cost their own verdict only: the candidate's process dies, the judge carries on and the next candidate is judged.</summary>
[Category("Slow")]
[NonParallelizable]
public class WorkerIsolationTests
{
    private string _cache = "";
    private CandidateEngine _engine = null!;

    [OneTimeSetUp]
    public void StartEngine()
    {
        _cache = TempFolder();
        _engine = new CandidateEngine(Options(_cache, TimeSpan.FromSeconds(4)), []);
    }

    [OneTimeTearDown]
    public void StopEngine()
    {
        _engine.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    [Test]
    public async Task Verify_HangingCandidate_TimesOutKillsItsChildrenAndNextIsJudged()
    {
        var v = await _engine.VerifyAsync(Sample(1, 1), Fixture("hang.py"), CancellationToken.None);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Timeout));
        Assert.That(v.Reason, Does.Contain("4 s"));
        Assert.That(SleepersLeft(), Is.Zero, "the child process the candidate started must be killed with the worker");

        var next = await _engine.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None);
        Assert.That(next.Status, Is.EqualTo(VerdictStatus.Correct), next.Reason);
    }

    [Test]
    public async Task Verify_SegfaultingCandidate_IsRuntimeErrorAndNextIsJudged()
    {
        var v = await _engine.VerifyAsync(Sample(1, 1), Fixture("segfault.py"), CancellationToken.None);
        Assert.That(v.Status, Is.EqualTo(VerdictStatus.RuntimeError));
        Assert.That(v.Reason, Does.Contain("SIGSEGV"));
        var afterCrash = _engine.WorkersStarted;

        var next = await _engine.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None);
        Assert.That(next.Status, Is.EqualTo(VerdictStatus.Correct), next.Reason);
        Assert.That(_engine.WorkersStarted, Is.EqualTo(afterCrash), "the crash was the candidate's own process: the judge carries on");
    }

    private static int SleepersLeft()
    {
        Thread.Sleep(300);
        return Process.GetProcessesByName("sleep").Count(p =>
        {
            try
            {
                return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains("3171");
            }
            catch (IOException)
            {
                return false;
            }
        });
    }
}
