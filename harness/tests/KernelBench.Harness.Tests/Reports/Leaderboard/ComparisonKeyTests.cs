using KernelBench.Harness.Reports.Leaderboard;

namespace KernelBench.Harness.Tests.Reports.Leaderboard;

/// <summary>What makes two runs incomparable, and how the note names it.</summary>
public sealed class ComparisonKeyTests
{
    private static readonly ComparisonKey H100 = new("abc123def4567890", 1e-2, 1e-2, "NVIDIA H100");

    [Test]
    public void DifferencesFrom_SameKey_None() =>
        Assert.That(H100.DifferencesFrom(H100 with { }), Is.Empty);

    [Test]
    public void DifferencesFrom_OtherToleranceAndProblemSet_NamesBoth()
    {
        var other = H100 with { ProblemSetHash = "ffff0000ffff0000", Atol = 1e-4, Rtol = 1e-4 };
        Assert.That(other.DifferencesFrom(H100), Is.EqualTo(new[]
        {
            "problem set ffff0000ffff vs abc123def456",
            "tolerance atol 0.0001/rtol 0.0001 vs atol 0.01/rtol 0.01",
        }));
    }

    [Test]
    public void DifferencesFrom_UnknownGpu_SaysUnknown() =>
        Assert.That((H100 with { Gpu = "" }).DifferencesFrom(H100), Is.EqualTo(new[] { "GPU (unknown) vs NVIDIA H100" }));
}
