using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Config;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Agent.Loop;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Replay;

/// <summary>The replay provider over the shipped demo transcripts (problems/demo-run): no endpoint, answers by problem, chain and index.</summary>
public sealed class ReplayModelClientTests
{
    private string _out = null!;

    [SetUp]
    public void SetUp() => _out = LoopFixture.TempDir();

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }

    private RunConfig DemoConfig() => RunConfigLoader.Load(Path.Combine(Paths.SampleProblems, "demo.yaml")) with { Out = _out };

    [Test]
    public async Task RunAsync_DemoConfig_ReplaysEveryRecordedAnswerInPlace()
    {
        var recorded = RunStore.Open(Path.Combine(Paths.SampleProblems, "demo-run")).ReadAttempts().Attempts;
        var session = RunSession.Start(DemoConfig(), "test");
        await session.RunAsync(new ScriptedVerifier(), null, CancellationToken.None);

        var stored = RunStore.Open(_out).ReadAttempts().Attempts;
        Assert.That(stored.Select(a => (a.ProblemKey, a.Chain, a.Index)).Order(),
            Is.EqualTo(recorded.Select(a => (a.ProblemKey, a.Chain, a.Index)).Order()));
        foreach (var a in stored)
        {
            var source = recorded.Single(r => (r.ProblemKey, r.Chain, r.Index) == (a.ProblemKey, a.Chain, a.Index));
            Assert.That((a.Response, a.Reasoning, a.CompletionTokens), Is.EqualTo((source.Response, source.Reasoning, source.CompletionTokens)));
        }
        Assert.That(stored.Single(a => a.ProblemKey == "L1/3" && a.Index == 0).Status, Is.EqualTo("no_code"));
        Assert.That(stored.Where(a => a.Status != "no_code").Select(a => a.Code), Has.All.Contains("class ModelNew"));
    }

    [Test]
    public void Start_ReplayFolderMissing_ClearError()
    {
        var config = DemoConfig();
        config = config with { Model = config.Model with { ReplayFrom = Path.Combine(_out, "nowhere") } };
        var e = Assert.Throws<RunStoreException>(() => RunSession.Start(config, "test"));
        Assert.That(e!.Message, Does.Contain("nowhere").And.Contain("not a run folder"));
    }
}
