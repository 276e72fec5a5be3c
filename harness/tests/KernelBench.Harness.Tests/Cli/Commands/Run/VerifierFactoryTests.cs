using KernelBench.Harness.Scoring.Devices;
using KernelBench.Harness.Cli.Commands.Run;
using KernelBench.Harness.Config;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Commands.Run;

/// <summary>
/// `kbh run` judges through the same scheduler as `kbh eval --candidates` (CheckLanes): check workers per device from
/// eval.workers, two by default on a GPU. No worker starts here: engines start theirs on the first candidate.
/// </summary>
public class VerifierFactoryTests
{
    private static RunConfig Demo(string device, int? workers, int? buildWorkers)
    {
        var config = RunConfigLoader.Load(Path.Combine(Paths.SampleProblems, "demo.yaml"));
        return config with { Gpus = null, Eval = config.Eval with { Device = device, Workers = workers, BuildWorkers = buildWorkers } };
    }

    [TestCase("cpu", null, 1)]
    [TestCase("cpu", 3, 3)]
    [TestCase("cuda", null, 2)]
    [TestCase("cuda", 1, 1)]
    public void Create_ChecksAtOnce_FollowEvalWorkersAndTheDevice(string device, int? workers, int lanes)
    {
        using var verifier = VerifierFactory.Create(Demo(device, workers, buildWorkers: 0));
        Assert.That(verifier.Lanes, Is.EqualTo(lanes));
        Assert.That(verifier.Pipeline, Is.Null, "build_workers: 0 puts no build pipeline in front");
    }

    [Test]
    public void Create_OnAGpuWithoutBuildWorkersSet_BuildsAhead()
    {
        using var verifier = VerifierFactory.Create(Demo("cuda", workers: null, buildWorkers: null));
        Assert.That(verifier.Pipeline, Is.Not.Null);
    }
}
