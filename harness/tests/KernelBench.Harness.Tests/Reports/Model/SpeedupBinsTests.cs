using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Model;

/// <summary>The speedup-distribution bins: (a, b] ranges, only correct problems with a speedup.</summary>
public sealed class SpeedupBinsTests
{
    private static ProblemRow Row(string status, double? speedup) =>
        new() { Key = new ProblemKey(1, 1), BestStatus = status, Speedup = speedup };

    [Test]
    public void Compute_EdgeValues_FallInTheLowerRange()
    {
        var bins = SpeedupBins.Compute([Row("correct", 0.5), Row("correct", 1.0), Row("correct", 1.2), Row("correct", 5), Row("incorrect", null), Row("correct", null)]);
        Assert.That(bins.Select(b => b.Label), Is.EqualTo(new[] { "<=0.5x", "0.5-0.8x", "0.8-1x", "1-1.25x", "1.25-2x", "2-4x", ">4x" }));
        Assert.That(bins.Select(b => b.Count), Is.EqualTo(new[] { 1, 0, 1, 1, 0, 0, 1 }));
    }
}
