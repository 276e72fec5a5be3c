using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// timing_order: interleaved, through the real worker on the CPU. The problem's forward slows down as time passes, in
/// every process alike (a drift of the host, as launch-bound models showed between timing windows on an H200): timed
/// in separate windows the candidate, which is timed later, looks slower than the very same code as reference; timed
/// trial by trial beside it, the drift cancels.
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

        T0 = START

        def _drifting_wait():
            # Every call, in the judge's process and the candidate's alike, waits longer the later it is made:
            # 2 ms times the square of the seconds since the problem was written.
            time.sleep(0.002 * max(0.0, time.time() - T0) ** 2)

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

    [SetUp]
    public void SetUp() => _dir = TempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Judges the drifting problem's own code as its candidate; the drift starts when the problem is written.</summary>
    private async Task<Verdict> Judge(string order)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, order, "level1")).FullName;
        File.WriteAllText(Path.Combine(folder, "1_Drifting.py"), Drifting.Replace("START",
            (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var problem = ProblemLoader.Load(Path.GetDirectoryName(folder)!).Find(1, 1)!;
        var options = Options(Path.Combine(_dir, "cache-" + order), TimeSpan.FromSeconds(120));
        options = options with { Settings = options.Settings with { CorrectnessTrials = 2, PerfTrials = 8, WarmupRuns = 1, TimingOrder = order } };
        using var engine = new CandidateEngine(options, []);
        var candidate = File.ReadAllText(problem.Path).Replace("class Model(", "class ModelNew(");
        return await engine.VerifyAsync(problem, candidate, CancellationToken.None);
    }

    [Test]
    public async Task Separate_DriftMakesTheSameCodeLookSlower_Interleaved_CancelsIt()
    {
        var separate = await Judge("separate");
        var interleaved = await Judge("interleaved");

        TestContext.Out.WriteLine($"speedup separate {separate.Speedup:F3}, interleaved {interleaved.Speedup:F3}");
        Assert.That(separate.Status, Is.EqualTo(VerdictStatus.Correct), separate.Reason);
        Assert.That(interleaved.Status, Is.EqualTo(VerdictStatus.Correct), interleaved.Reason);
        // Separate: the reference was timed seconds before the candidate (its own job, then the candidate's process).
        // (0.62 on a two-core machine; slower machines leave more time between the two, and a lower speedup.)
        Assert.That(separate.Speedup, Is.LessThan(0.8));
        // Interleaved (AB BA ...): both got the same calls on average.
        Assert.That(interleaved.Speedup, Is.InRange(0.85, 1.15));
        Assert.That(interleaved.RefRuntime!.Trials, Is.EqualTo(8));
        Assert.That(interleaved.Settings!.TimingOrder, Is.EqualTo("interleaved"));
        // The reference job did not time the reference on its own: the check timed it beside the candidate.
        Assert.That(interleaved.PhaseSeconds.Keys, Has.None.EqualTo("reference.timing"));
    }
}
