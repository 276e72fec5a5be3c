using KernelBench.Harness.Core.Settings;
using KernelBench.Harness.Agent.Loop;
using KernelBench.Harness.Cli.Commands.Run;
using KernelBench.Harness.Config;
using KernelBench.Harness.Store;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Agent.Loop;

/// <summary>
/// On a CUDA GPU with the real verifier: the scripted HTTP model drives the loop with load_inline kernels on real
/// KernelBench problems (L1/19 ReLU: compile error, wrong, correct; L2/12: correct at once). The run folder is kept
/// under $KBH_GPU_RUN_OUT when set, so its summary can be committed under results/.
/// </summary>
[Category("Slow")]
[Explicit("needs the real verifier and a CUDA GPU")]
public sealed class GpuEndToEndTests
{
    [Test]
    public async Task RunAsync_KernelBenchLevel1And2OnGpu_ReachesCorrect()
    {
        await using var server = new ScriptedModelServer();
        server.Fallback = request => ((string)request.Json["messages"]![0]!["content"]!).Contains("Gemm")
            ? Fenced(GpuKernels.GemmScaleLeakyCorrect)
            : ServerReply.Error(500, "unscripted");
        server.Enqueue(Fenced(GpuKernels.ReluCompileError), Fenced(GpuKernels.ReluWrong), Fenced(GpuKernels.ReluCorrect));
        var root = Environment.GetEnvironmentVariable("KBH_GPU_RUN_OUT") is { Length: > 0 } keep ? keep : LoopFixture.TempDir();
        var l1 = LoopFixture.MakeConfig(server, Path.Combine(root, "level1"), new BudgetSettings(null, 3, null), stopAt: 0, ids: [19], level: 1) with
        {
            KernelBench = Paths.KernelBench, Eval = new EvalOptions { Device = "cuda", Backend = Backend.Cuda }, ParallelProblems = 1,
        };
        using var verifier1 = VerifierFactory.Create(l1);
        var l1Outcome = (await LoopFixture.Start(l1).RunAsync(verifier1, null, CancellationToken.None)).Single();
        Assert.That(RunStore.Open(l1.Out).ReadAttempts().Attempts.Select(a => a.Status), Is.EqualTo(new[] { "compile_error", "incorrect", "correct" }));
        Assert.That(l1Outcome.Solved, Is.True);

        var l2 = l1 with { Out = Path.Combine(root, "level2"), Problems = new ProblemSelection([2], [12]) };
        using var verifier2 = VerifierFactory.Create(l2);
        var l2Outcome = (await LoopFixture.Start(l2).RunAsync(verifier2, null, CancellationToken.None)).Single();
        Assert.That(l2Outcome.Solved, Is.True, l2Outcome.Best?.Verdict?.Reason);
    }

    private static ServerReply Fenced(string code) =>
        ServerReply.Streamed("Here is the kernel.\n```python\n" + code + "\n```\n", "reasoning about the kernel");
}
