using KernelBench.Harness.Problems;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Problems;

[TestFixture]
public class ProblemLoaderTests
{
    [Test]
    public void Load_SampleProblems_FindsFourWithDefinitions()
    {
        var set = ProblemLoader.Load(Paths.SampleProblems);

        Assert.That(set.Errors, Is.Empty);
        Assert.That(set.Problems.Select(p => p.Key), Is.EqualTo(new[] { "L1/1", "L1/2", "L1/3", "L2/1" }));
        Assert.That(set.Problems[0].Definitions, Does.Contain("Model").And.Contain("get_inputs").And.Contain("batch_size"));
    }
}
