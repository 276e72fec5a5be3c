using static KernelBench.Harness.Tests.Scoring.Engine.ScoringFixtures;

namespace KernelBench.Harness.Tests.Scoring.Engine;

/// <summary>
/// kbh_check's CPU inputs in the real torch: made once per seed ahead of the GPU turn, then only copied to the device
/// (a device other than the CPU, as on a GPU run: here torch's "meta").
/// </summary>
[Category("Slow")]
public class TrialInputsTests
{
    private const string Script = """
        import json, sys, types
        sys.path.insert(0, sys.argv[1])
        import torch, kbh_check
        calls = []
        problem = types.SimpleNamespace(get_inputs=lambda: calls.append(1) or [torch.randn(4, 4)])
        device = torch.device("meta")
        kbh_check.prepare_inputs(problem, [1, 2], device, None, False)
        ahead = len(calls)
        got = [kbh_check.trial_inputs(problem, s, device, None)[0] for s in (1, 2, 1)]
        print(json.dumps({"ahead": ahead, "all": len(calls), "devices": sorted({str(t.device) for t in got})}))
        """;

    [Test]
    public void PrepareInputs_ThenEachTrial_GetInputsRunsOncePerSeed_CopiesGoToTheDevice()
    {
        var r = RunWorkerScript(Script);
        Assert.That(r.GetProperty("ahead").GetInt32(), Is.EqualTo(2));
        Assert.That(r.GetProperty("all").GetInt32(), Is.EqualTo(2), "the trials reused what was made ahead");
        Assert.That(r.GetProperty("devices").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "meta" }));
    }
}
