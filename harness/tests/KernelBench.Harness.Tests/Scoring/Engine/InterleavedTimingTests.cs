using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// timing_order: interleaved, through the real worker on the CPU. The problem's forward slows down with every call
/// anyone makes in the worker (a drift of the host, as launch-bound models showed between timing windows on an H200):
/// timed in separate windows the candidate, which is timed later, looks slower than the very same code as reference;
/// timed trial by trial beside it, the drift cancels.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class InterleavedTimingTests
{
    private const string Drifting = """
        import sys
        import time
        import torch
        import torch.nn as nn

        def _drifting_wait():
            # Every call in this process waits 0.4 ms longer than the one before.
            sys.kbh_drift_calls = getattr(sys, "kbh_drift_calls", 0) + 1
            time.sleep(0.0004 * sys.kbh_drift_calls)

        class Model(nn.Module):
            def forward(self, x):
                _drifting_wait()
                return x * 2.0

        def get_inputs():
            return [torch.rand(16, 16)]

        def get_init_inputs():
            return []
        """;

    private string _dir = "";
    private Problem _problem = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = TempFolder();
        Directory.CreateDirectory(Path.Combine(_dir, "level1"));
        File.WriteAllText(Path.Combine(_dir, "level1", "1_Drifting.py"), Drifting);
        _problem = ProblemLoader.Load(_dir).Find(1, 1)!;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private async Task<Verdict> Judge(string order)
    {
        var options = Options(Path.Combine(_dir, "cache-" + order), TimeSpan.FromSeconds(120));
        options = options with { Settings = options.Settings with { CorrectnessTrials = 2, PerfTrials = 8, WarmupRuns = 1, TimingOrder = order } };
        using var engine = new CandidateEngine(options, []);
        var candidate = Drifting.Replace("class Model(", "class ModelNew(");
        return await engine.VerifyAsync(_problem, candidate, CancellationToken.None);
    }

    [Test]
    public async Task Separate_DriftMakesTheSameCodeLookSlower_Interleaved_CancelsIt()
    {
        var separate = await Judge("separate");
        var interleaved = await Judge("interleaved");

        TestContext.Out.WriteLine($"speedup separate {separate.Speedup:F3}, interleaved {interleaved.Speedup:F3}");
        Assert.That(separate.Status, Is.EqualTo(VerdictStatus.Correct), separate.Reason);
        Assert.That(interleaved.Status, Is.EqualTo(VerdictStatus.Correct), interleaved.Reason);
        // Separate: the reference's trials were calls 4-11, the candidate's 17-24 (about 3 ms against 8 ms).
        Assert.That(separate.Speedup, Is.LessThan(0.6));
        // Interleaved (AB BA ...): both got the same calls on average.
        Assert.That(interleaved.Speedup, Is.InRange(0.85, 1.15));
        Assert.That(interleaved.RefRuntime!.Trials, Is.EqualTo(8));
        Assert.That(interleaved.Settings!.TimingOrder, Is.EqualTo("interleaved"));
        // The reference job did not time the reference on its own: the check timed it beside the candidate.
        Assert.That(interleaved.PhaseSeconds.Keys, Has.None.EqualTo("reference.timing"));
    }
}
