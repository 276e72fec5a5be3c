using KernelBench.Harness.Scoring.Timing;

namespace KernelBench.Harness.Tests.Scoring.Timing;

public class TimingStatisticsTests
{
    [Test]
    public void Summarize_KnownTimes_GivesMeanMedianSpreadAndInterval()
    {
        var s = TimingStatistics.Summarize([1.0, 2.0, 3.0, 4.0, 10.0])!;
        Assert.That(s.MeanMs, Is.EqualTo(4.0).Within(1e-12));
        Assert.That(s.MedianMs, Is.EqualTo(3.0).Within(1e-12));
        Assert.That(s.MinMs, Is.EqualTo(1.0));
        Assert.That(s.MaxMs, Is.EqualTo(10.0));
        Assert.That(s.StdMs, Is.EqualTo(Math.Sqrt(12.5)).Within(1e-9)); // sample standard deviation
        Assert.That(s.CiLowerMs, Is.LessThan(s.MeanMs));
        Assert.That(s.CiUpperMs, Is.GreaterThan(s.MeanMs));
        Assert.That(s.Trials, Is.EqualTo(5));
    }

    [Test]
    public void Summarize_NonFiniteOrNoTimes_IgnoresThemOrGivesNull()
    {
        Assert.That(TimingStatistics.Summarize([]), Is.Null);
        Assert.That(TimingStatistics.Summarize([double.NaN, 2.0])!.MeanMs, Is.EqualTo(2.0));
    }

    [Test]
    public void Speedup_ReferenceOverCandidateMeans()
    {
        var reference = TimingStatistics.Summarize([4.0, 4.0]);
        var candidate = TimingStatistics.Summarize([1.0, 1.0]);
        Assert.That(TimingStatistics.Speedup(reference, candidate), Is.EqualTo(4.0));
        Assert.That(TimingStatistics.Speedup(reference, null), Is.Null);
    }
}
