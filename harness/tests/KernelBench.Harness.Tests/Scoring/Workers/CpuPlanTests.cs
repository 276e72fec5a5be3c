using KernelBench.Harness.Scoring.Workers;

namespace KernelBench.Harness.Tests.Scoring.Workers;

public class CpuPlanTests
{
    [TestCase("0-3,8,10-11", new[] { 0, 1, 2, 3, 8, 10, 11 })]
    [TestCase(" 5\n", new[] { 5 })]
    [TestCase("32-35", new[] { 32, 33, 34, 35 })]
    public void ParseList_KernelCpuLists(string text, int[] expected) => Assert.That(CpuPlan.ParseList(text), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("3-1")]
    [TestCase("a-b")]
    [TestCase("1-2-3")]
    public void ParseList_Malformed_IsNull(string text) => Assert.That(CpuPlan.ParseList(text), Is.Null);

    [Test]
    public void For_SixteenCoresTwoGpuWorkers_TwoCoresEach_BuildsOnTheRest()
    {
        var plan = CpuPlan.For(Enumerable.Range(0, 16).ToList(), 2);
        Assert.That(plan.GpuWorkers, Is.EqualTo(new[] { new[] { 0, 1 }, new[] { 2, 3 } }));
        Assert.That(plan.BuildWorkers, Is.EqualTo(Enumerable.Range(4, 12)));
        Assert.That(plan.HostPool(1), Is.EqualTo(new[] { 2, 3 }.Concat(Enumerable.Range(4, 12))), "its own cores, then the builds'");
    }

    [Test]
    public void For_ScarceCores_OneEach_AndTheCpusetsOwnNumbers()
    {
        var slurmCpuset = Enumerable.Range(32, 16).ToList(); // a job's cpuset need not start at core 0
        var plan = CpuPlan.For(slurmCpuset, 4);
        Assert.That(plan.GpuWorkers, Is.EqualTo(new[] { new[] { 32 }, new[] { 33 }, new[] { 34 }, new[] { 35 } }));
        Assert.That(plan.BuildWorkers, Is.EqualTo(Enumerable.Range(36, 12)));
    }

    [TestCase(7, 2)]  // under four cores per GPU worker
    [TestCase(2, 1)]
    public void For_TooFewCores_NothingPinned(int cores, int gpuWorkers)
    {
        var plan = CpuPlan.For(Enumerable.Range(0, cores).ToList(), gpuWorkers);
        Assert.That(plan.GpuWorkers, Has.Count.EqualTo(gpuWorkers).And.All.Null);
        Assert.That(plan.HostPool(0), Is.Null);
        Assert.That(plan.BuildWorkers, Is.Null);
    }

    [Test]
    public void For_UnknownCores_NothingPinned() =>
        Assert.That(CpuPlan.For(null, 2), Is.EqualTo(CpuPlan.None(2)).Using<CpuPlan>((a, b) => a.GpuWorkers.SequenceEqual(b.GpuWorkers) && a.BuildWorkers == b.BuildWorkers));

    [Test]
    public void AllowedCores_ThisProcess_TheCoresItRunsOn() =>
        Assert.That(CpuPlan.AllowedCores(), Has.Count.GreaterThanOrEqualTo(Environment.ProcessorCount).And.Unique); // a CPU quota can leave .NET fewer
}
