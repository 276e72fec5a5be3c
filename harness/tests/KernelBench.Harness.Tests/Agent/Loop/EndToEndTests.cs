using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Cli.Commands.Run;
using KernelBench.Harness.Config;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>
/// The loop with the real scoring engine on CPU (through <see cref="VerifierFactory"/>, the line the merge changes):
/// the scripted HTTP model writes code that does not compile, then wrong code, then a correct load_inline kernel.
/// </summary>
[Category("Slow")]
public sealed class EndToEndTests
{
    [Test]
    public async Task RunAsync_RealVerifierOnCpu_CorrectOnTheThirdAttempt()
    {
        await using var server = new ScriptedModelServer();
        var broken = File.ReadAllText(Path.Combine(Paths.SampleCandidates, "correct", "level1", "1.py"))
            .Replace("o[i] = in[i] * 2.0f + 1.0f;", "o[i] = in[i] * 2.0f + 1.0f") // missing ';': a compile error
            .Replace("kbh_sample_scale_shift", "kbh_e2e_broken");
        server.Enqueue(
            Fenced(broken),
            Fenced(File.ReadAllText(Path.Combine(Paths.SampleCandidates, "wrong", "level1", "1.py"))),
            Fenced(File.ReadAllText(Path.Combine(Paths.SampleCandidates, "correct", "level1", "1.py"))));
        var dir = LoopFixture.TempDir();
        try
        {
            var config = LoopFixture.MakeConfig(server, dir, new BudgetSettings(null, 3, null), stopAt: 0) with { Eval = new EvalOptions { Device = "cpu", Backend = Backend.Cpp } };
            var session = LoopFixture.Start(config);
            using var verifier = VerifierFactory.Create(config);
            var outcome = (await session.RunAsync(verifier, null, CancellationToken.None)).Single();
            Assert.That(RunStore.Open(dir).ReadAttempts().Attempts.Select(a => a.Status), Is.EqualTo(new[] { "compile_error", "incorrect", "correct" }));
            Assert.That(outcome.Solved, Is.True);
            Assert.That((string)server.ChatRequests[1].Json["messages"]![2]!["content"]!, Does.Contain("compilation failed"));
            Assert.That((string)server.ChatRequests[2].Json["messages"]![2]!["content"]!, Does.Contain("incorrect output"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_DemoReplayWithRealVerifier_AllFourSolved()
    {
        var dir = LoopFixture.TempDir();
        // A cache of its own: in a warm one, build records would rightly skip the answers' builds.
        using var env = new KbhEnvironment(Path.Combine(dir, "cache"));
        try
        {
            var config = RunConfigLoader.Load(Path.Combine(Paths.SampleProblems, "demo.yaml")) with { Out = dir };
            using var verifier = VerifierFactory.Create(config);
            var outcomes = await RunSession.Start(config, "test").RunAsync(verifier, null, CancellationToken.None);
            Assert.That(outcomes.Where(o => !o.Solved).Select(o => o.ProblemKey), Is.Empty);
            var stored = RunStore.Open(dir).ReadAttempts().Attempts;
            Assert.That(stored.Where(a => a.ProblemKey == "L1/2").Select(a => a.Status), Is.EqualTo(new[] { "incorrect", "correct" }));
            // demo.yaml has a build worker: every answer went through it before the checking worker judged it.
            Assert.That(verifier.Pipeline, Is.Not.Null);
            Assert.That(verifier.Pipeline!.BuildWorkersStarted, Is.EqualTo(1));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    [Category("KernelBench")]
    public async Task RunAsync_KernelBenchLeNet5OnCpu_RewriteJudgedCorrect()
    {
        var reference = Path.Combine(Paths.KernelBench, "KernelBench", "level3", "4_LeNet5.py");
        await using var server = new ScriptedModelServer();
        // The reference itself under the new name: the loop's plumbing on a level 3 network, not a kernel.
        server.Enqueue(Fenced(File.ReadAllText(reference).Replace("class Model(", "class ModelNew(").Replace("super(Model, self)", "super(ModelNew, self)")));
        var dir = LoopFixture.TempDir();
        try
        {
            var config = LoopFixture.MakeConfig(server, dir, new BudgetSettings(null, 1, null), ids: [4], level: 3) with
            {
                // Few trials: KernelBench's LeNet5 takes a batch of 4096, 1.7 s a forward on a two-core CPU, so
                // KernelBench's 100 interleaved timing trials alone would outlast the check's time limit.
                KernelBench = Paths.KernelBench, Eval = new EvalOptions { Device = "cpu", Backend = Backend.Pytorch, CorrectnessTrials = 2, PerfTrials = 3 },
            };
            var session = LoopFixture.Start(config);
            using var verifier = VerifierFactory.Create(config);
            await session.RunAsync(verifier, null, CancellationToken.None);
            var attempt = RunStore.Open(dir).ReadAttempts().Attempts.Single();
            Assert.That(attempt.Status, Is.EqualTo("correct"), attempt.Verdict?.Reason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static ServerReply Fenced(string code) =>
        ServerReply.Streamed("Here is the kernel.\n```python\n" + code + "\n```\n", "reasoning about the kernel");
}
