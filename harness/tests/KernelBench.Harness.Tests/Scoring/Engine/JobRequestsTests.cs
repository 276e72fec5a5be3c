using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Engine;
using KernelBench.Harness.Scoring.Verdicts;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>What the worker is asked, and which reference measurements may be reused for which settings.</summary>
public class JobRequestsTests
{
    private static readonly Problem Problem = new(1, 19, "ReLU", "19_ReLU.py", "", "abc", []);

    [Test]
    public void ReferenceKey_InputsMadeElsewhere_IsAnotherReference()
    {
        var cpu = new EvalSettings { Device = "cuda:0" };
        var device = cpu with { Inputs = "device" };
        // Inputs made on the GPU have other values: their reference outputs and times are never reused for CPU-made ones.
        Assert.That(JobRequests.ReferenceKey(Problem, device, "2.11"), Is.Not.EqualTo(JobRequests.ReferenceKey(Problem, cpu, "2.11")));
        Assert.That(JobRequests.ReferenceKey(Problem, cpu, "2.11"), Is.EqualTo(JobRequests.ReferenceKey(Problem, cpu with { }, "2.11")));
    }

    [Test]
    public void Check_CarriesWhereInputsAreMade()
    {
        var request = JobRequests.Check(Problem, new EvalSettings { Inputs = "device" }, "ref", "key", "c.py");
        Assert.That((string?)request["inputs"], Is.EqualTo("device"));
    }
}
