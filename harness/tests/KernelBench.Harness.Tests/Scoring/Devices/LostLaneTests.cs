using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Scoring.Workers;
using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Devices;

/// <summary>A lane whose worker cannot be started (its Python exits at once, as on a node whose GPU fell off the bus):
/// its problems are judged on the lanes left, and only a batch with no lane left ends. Real engines, real workers.</summary>
[Category("Slow")]
public sealed class LostLaneTests
{
    private static readonly GpuDevice[] TwoLanes = [new("cpu", 0), new("cpu", 1)];

    private static MultiDeviceVerifier Lanes(string cache, params string[] pythons)
    {
        var lane = 0;
        return new MultiDeviceVerifier(TwoLanes.Take(pythons.Length).ToList(), _ =>
        {
            var options = Options(Path.Combine(cache, $"lane{lane}"), TimeSpan.FromSeconds(120));
            return new CandidateEngine(options with { Worker = options.Worker with { Python = pythons[lane++] } }, []);
        });
    }

    [Test]
    public async Task LaneThatCannotStart_ItsProblemsAreJudgedOnTheOtherLane()
    {
        var cache = TempFolder();
        try
        {
            using var lanes = Lanes(cache, "/bin/false", Python);
            // The first problem is pinned to the first lane, whose worker never answers.
            var first = await lanes.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 1), CancellationToken.None);
            var second = await lanes.VerifyAsync(Sample(1, 2), SampleCandidate("wrong", 1, 2), CancellationToken.None);
            Assert.That(first.Status, Is.EqualTo(VerdictStatus.Correct), first.Reason);
            Assert.That(second.Status, Is.EqualTo(VerdictStatus.Incorrect), second.Reason);
            Assert.That(lanes.PinnedDevice(Sample(1, 1).Key)!.Index, Is.EqualTo(1), "moved to the lane that works");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Test]
    public async Task NoLaneCanStart_TheBatchEndsWithTheReason()
    {
        var cache = TempFolder();
        try
        {
            using var lanes = Lanes(cache, "/bin/false", "/bin/false");
            var message = "";
            try
            {
                await lanes.VerifyAsync(Sample(1, 1), SampleCandidate("correct", 1, 1), CancellationToken.None);
            }
            catch (WorkerStartException e)
            {
                message = e.Message;
            }
            Assert.That(message, Does.Contain("did not start"), "the last lane's failure ends the batch, with its reason");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
