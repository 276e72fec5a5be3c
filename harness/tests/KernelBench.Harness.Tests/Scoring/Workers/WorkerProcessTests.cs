using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Workers;
using KernelBench.Harness.Scoring.Workers.Protocol;
using Microsoft.Extensions.Time.Testing;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Workers;

/// <summary>A real worker whose time limit runs on a fake clock: the time-out is tested without waiting for it.</summary>
[Category("Slow")]
[NonParallelizable]
public class WorkerProcessTests
{
    [Test]
    public async Task RunAsync_Ping_TheWorkerAnswersOk()
    {
        var cache = TempFolder();
        using var worker = await WorkerProcess.StartAsync(new WorkerOptions { Python = Python, CacheRoot = cache }, CancellationToken.None);

        var reply = await worker.RunAsync(new PingJob(), TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.That(reply.Outcome, Is.EqualTo(WorkerOutcome.Answered), reply.Detail);
        Assert.That(reply.Flag("ok"), Is.True);
        Directory.Delete(cache, recursive: true);
    }

    [TestCase(true, "19")]
    [TestCase(false, "0")]
    public async Task StartAsync_LowPriority_WorkerAndWhatItRunsAtNice19(bool low, string nice)
    {
        var cache = TempFolder();
        using var worker = await WorkerProcess.StartAsync(new WorkerOptions { Python = Python, CacheRoot = cache, LowPriority = low }, CancellationToken.None);
        var path = Path.Combine(cache, "nice.py");
        // What a build runs (ninja, the compilers) inherits the worker's priority: a child process reports its own.
        File.WriteAllText(path, "import subprocess, sys\nprint('NICE=' + subprocess.check_output([sys.executable, '-c', 'import os; print(os.nice(0))'], text=True).strip())\n");

        var built = await worker.RunAsync(JobRequests.Build("nice", path, null), TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.That(built.OutputTail, Does.Contain("NICE=" + nice));
        Directory.Delete(cache, recursive: true);
    }

    [Test]
    public async Task StartAsync_TorchsHugePagesForLargeCpuTensors_OnUnlessTheHarnessSaysOtherwise()
    {
        var cache = TempFolder();
        using var worker = await WorkerProcess.StartAsync(new WorkerOptions { Python = Python, CacheRoot = cache }, CancellationToken.None);
        var path = Path.Combine(cache, "thp.py");
        File.WriteAllText(path, "import os\nprint('THP=' + os.environ.get('THP_MEM_ALLOC_ENABLE', 'unset'))\n");

        var built = await worker.RunAsync(JobRequests.Build("thp", path, null), TimeSpan.FromMinutes(2), CancellationToken.None);

        var given = System.Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE");
        Assert.That(built.OutputTail, Does.Contain("THP=" + (given ?? "1")));
        Directory.Delete(cache, recursive: true);
    }

    [Test]
    public async Task StartAsync_Cpus_WorkerAndWhatItRunsPinnedToThem()
    {
        var cache = TempFolder();
        var all = CpuPlan.AllowedCores()!;
        var last = all[^1]; // one core this machine surely has
        using var worker = await WorkerProcess.StartAsync(new WorkerOptions { Python = Python, CacheRoot = cache, Cpus = [last], HostCpus = all }, CancellationToken.None);
        var path = Path.Combine(cache, "cpus.py");
        // A child (a compiler, a candidate's subprocess) reports its own affinity; torch's pool in the candidate's
        // process is sized to it. The host cores are for the judge's own draws only: not in the candidate's environment.
        File.WriteAllText(path, "import os, subprocess, sys, torch\nprint('CPUS=' + subprocess.check_output([sys.executable, '-c', 'import os; print(sorted(os.sched_getaffinity(0)))'], text=True).strip(), 'THREADS=%d' % torch.get_num_threads(), 'SEEN=%s' % ('KBH_HOST_CPUS' in os.environ))\n");

        var built = await worker.RunAsync(JobRequests.Build("cpus", path, null), TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.That(built.OutputTail, Does.Contain($"CPUS=[{last}] THREADS=1 SEEN=False"));
        Directory.Delete(cache, recursive: true);
    }

    [Test]
    public async Task RunAsync_FakeClockPassesLimit_TimesOutAndKillsWorker()
    {
        var cache = TempFolder();
        var clock = new FakeTimeProvider();
        var options = new WorkerOptions { Python = Python, CacheRoot = cache, Time = clock };
        using var worker = await WorkerProcess.StartAsync(options, CancellationToken.None);
        var path = Path.Combine(cache, "hang.py");
        File.WriteAllText(path, Fixture("hang.py"));

        var built = await worker.RunAsync(JobRequests.Build("hang", path, null), TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.That(built.Status, Is.EqualTo("built"));
        var settings = Options(cache, TimeSpan.FromMinutes(5)).Settings;
        var pending = worker.RunAsync(JobRequests.Check(Sample(1, 1), settings, "ref", "hang", path), TimeSpan.FromSeconds(30), CancellationToken.None);
        await Task.Delay(1500);
        Assert.That(pending.IsCompleted, Is.False, "a hanging check must not answer");
        clock.Advance(TimeSpan.FromSeconds(31));
        var reply = await pending.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(reply.Outcome, Is.EqualTo(WorkerOutcome.TimedOut));
        Assert.That(reply.Detail, Does.Contain("30 s"));
        Assert.That(worker.Unhealthy, Is.True);
        await Task.Delay(500);
        Assert.That(worker.HasExited, Is.True);
        Directory.Delete(cache, recursive: true);
    }

    [Test]
    public void Validated_LimitOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerOptions { CheckTimeout = TimeSpan.Zero }.Validated());
}
