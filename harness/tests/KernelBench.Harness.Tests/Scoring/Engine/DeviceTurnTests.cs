using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// Workers on one device take turns on it (kbh_gpu_turn.py): the real worker on the CPU, whose turns are one lock for
/// the machine, held here by the test the way another worker would hold it (.NET's FileShare.None is an flock on Linux).
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class DeviceTurnTests
{
    private string _cache = "";
    private string _locks = "";

    [SetUp]
    public void Folders()
    {
        _cache = TempFolder();
        _locks = TempFolder();
    }

    [TearDown]
    public void Clean()
    {
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(_locks, recursive: true);
    }

    private EngineOptions TurnOptions(TimeSpan checkTimeout, TimeSpan gpuWait)
    {
        var o = Options(_cache, checkTimeout);
        return o with { Worker = o.Worker with { GpuLockFolder = _locks, ReferenceTimeout = checkTimeout, GpuWaitTimeout = gpuWait } };
    }

    /// <summary>Holds the device's lock as another worker would, until disposed.</summary>
    private FileStream HoldDevice()
    {
        Directory.CreateDirectory(_locks);
        return new FileStream(Path.Combine(_locks, "cpu.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    /// <summary>
    /// With a worker started and one problem judged under a 6 s check limit, takes <paramref name="hold"/> as another
    /// worker would hold that lock and judges a new problem (its reference too) while it stays held for 12 s.
    /// </summary>
    private async Task<Verdict> JudgeNewProblemWhileHeld(Func<FileStream> hold)
    {
        using var engine = new CandidateEngine(TurnOptions(TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(120)), []);
        await engine.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 1), CancellationToken.None); // worker started, problem loaded

        var held = hold();
        var release = Task.Delay(TimeSpan.FromSeconds(12)).ContinueWith(_ => held.Dispose());
        var v = await engine.VerifyAsync(Sample(1, 2), SampleCandidate("correct", 1, 2), CancellationToken.None);
        await release;
        return v;
    }

    private static string Phases(Verdict v) => string.Join(", ", v.PhaseSeconds.Select(p => $"{p.Key} {p.Value}"));

    [Test]
    public async Task Verify_DeviceHeldByAnotherWorker_WaitsWithoutSpendingItsTimeLimit()
    {
        var v = await JudgeNewProblemWhileHeld(HoldDevice);

        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Correct), v.Reason);
        // The reference (a new problem) queued for the device: twice the 6 s limit, none of it held against the job.
        var waited = v.PhaseSeconds.GetValueOrDefault("reference.gpu_wait") + v.PhaseSeconds.GetValueOrDefault("check.gpu_wait");
        Assert.That(waited, Is.GreaterThan(6), Phases(v));
        // Host-side work (constructing the model, making CPU inputs) ran before the turn; the trials inside it.
        Assert.That(v.PhaseSeconds.Keys, Is.SupersetOf(new[] { "reference.model.init", "reference.gpu_wait", "reference.outputs", "check.model.init", "check.gpu_wait", "check.correctness" }));
    }

    [Test]
    public async Task Verify_DeviceHeldPastGpuWaitTimeout_IsTimeoutNamingTheWait_AndTheNextCandidateIsJudged()
    {
        using var engine = new CandidateEngine(TurnOptions(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(4)), []);
        Verdict v;
        using (HoldDevice())
            v = await engine.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 1), CancellationToken.None);

        Assert.That(v.Status, Is.EqualTo(VerdictStatus.Timeout));
        Assert.That(v.Reason, Does.Contain("for the GPU").And.Contain("another worker"));
        var next = await engine.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 1), CancellationToken.None);
        Assert.That(next.Status, Is.EqualTo(VerdictStatus.Correct), next.Reason);
    }
    [Test]
    public void Turn_CollectsGarbageBeforeItIsHeld_PoisoningInsideCollectsOnlyTheYoung()
    {
        // A full collection walks every object the worker holds (tens of ms): the turn does it before taking the
        // device, and the poisoning inside it collects only the young generations.
        var r = RunWorkerScript($$"""
            import gc, json, sys, weakref
            sys.path.insert(0, sys.argv[1])
            import torch, kbh_check, kbh_gpu_turn
            gc.disable()  # only the collections under test run
            freed = []

            def cyclic_garbage(name, old):
                a, b = {}, {}
                a["b"], b["a"] = b, a
                holder = type("Holder", (), {})()
                holder.cycle = a
                a["holder"] = holder
                weakref.finalize(holder, freed.append, name)
                if old:
                    gc.collect()  # survives one: now in the oldest generation
                del a, b, holder

            cyclic_garbage("before the turn", old=True)
            turn = kbh_gpu_turn.GpuTurn({{System.Text.Json.JsonSerializer.Serialize(_locks)}}, torch.device("cpu"))
            with turn:
                at_entry = list(freed)
                cyclic_garbage("old, in the turn", old=True)
                kbh_check.poison_freed_memory(torch.device("cpu"), young_only=True)
                after_young = list(freed)
            kbh_check.poison_freed_memory(torch.device("cpu"))
            print(json.dumps({"at_entry": at_entry, "after_young": after_young, "after_full": freed}))
            """);

        string[] Freed(string when) => r.GetProperty(when).EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.That(Freed("at_entry"), Is.EqualTo(new[] { "before the turn" }), "collected as the turn began");
        Assert.That(Freed("after_young"), Is.EqualTo(new[] { "before the turn" }), "an old cycle waits for a full collection");
        Assert.That(Freed("after_full"), Is.EqualTo(new[] { "before the turn", "old, in the turn" }));
    }
}
