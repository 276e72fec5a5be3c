using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>Starting the check workers before any problem is known (`kbh eval` does it while the problems load).</summary>
[Category("Slow")]
[NonParallelizable]
public class WarmUpTests
{
    private string _cache = "";

    [SetUp]
    public void SetUp() => _cache = TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task WarmUp_TwoLanes_BothWorkersStartBeforeAnyProblem_AndTheFirstVerdictCountsTheStart()
    {
        var engines = new List<CandidateEngine>();
        using var lanes = new MultiDeviceVerifier([new GpuDevice("cpu", null), new GpuDevice("cpu", null)], device =>
        {
            var engine = new CandidateEngine(Options(_cache, TimeSpan.FromSeconds(60)), []);
            engines.Add(engine);
            return engine;
        });

        await lanes.WarmUpAsync(CancellationToken.None);

        Assert.That(engines.Select(e => e.WorkersStarted), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(engines.Select(e => e.Environment.TorchVersion), Has.All.Not.Empty, "each worker said hello");
        var verdict = await lanes.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None);
        Assert.That(verdict.Status, Is.EqualTo(VerdictStatus.Correct), verdict.Reason);
        Assert.That(engines.Sum(e => e.WorkersStarted), Is.EqualTo(2), "the candidate went to a worker already started");
        Assert.That(verdict.PhaseSeconds["worker_start"], Is.GreaterThan(0), "the start, made ahead, is the first verdict's");

        var next = await lanes.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None);
        Assert.That(next.PhaseSeconds.ContainsKey("worker_start"), Is.False, "only once");
    }

    [Test]
    public async Task WarmUp_WorkerCannotStart_DoesNotThrow_TheCandidateReportsWhy()
    {
        var missing = Path.Combine(_cache, "no-such-python3");
        var options = Options(_cache, TimeSpan.FromSeconds(60));
        using var engine = new CandidateEngine(options with { Worker = options.Worker with { Python = missing } }, []);

        await Assert.ThatAsync(() => engine.WarmUpAsync(CancellationToken.None), Throws.Nothing);

        var e = await Assert.CatchAsync(() => engine.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain(missing));
    }

    [Test]
    public async Task WarmUp_Cancelled_StopsTheStartAndLeavesNoWorker()
    {
        using var engine = new CandidateEngine(Options(_cache, TimeSpan.FromSeconds(60)), []);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.CatchAsync<OperationCanceledException>(() => engine.WarmUpAsync(cancel.Token));
        Assert.That(engine.WorkersStarted, Is.Zero, "the start was stopped, not counted");
    }
}
