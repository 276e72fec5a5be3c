using System.Text.Json;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>
/// `kbh eval --timing kernelbench` through the real CLI and a real worker on the CPU. KernelBench's evaluator times
/// with autograd on (its correctness trials run under no_grad, its timing does not): the problem's forward is slow
/// only when autograd is on, so the times show which way the reference's job and the candidate's process timed it.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class KernelBenchTimingTests
{
    private const string SlowUnderAutograd = """
        import time
        import torch
        import torch.nn as nn

        class Model(nn.Module):
            def forward(self, x):
                time.sleep(0.03 if torch.is_grad_enabled() else 0.0005)
                return x * 2.0

        def get_inputs():
            return [torch.rand(8, 8)]

        def get_init_inputs():
            return []
        """;

    private string _dir = "";
    private KbhEnvironment _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "kbh-kbtiming-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_dir, "KernelBench", "level1"));
        File.WriteAllText(Path.Combine(_dir, "KernelBench", "level1", "1_Slow_under_autograd.py"), SlowUnderAutograd);
        File.WriteAllText(Path.Combine(_dir, "candidate.py"), SlowUnderAutograd.Replace("class Model(", "class ModelNew("));
        _environment = new KbhEnvironment(Path.Combine(_dir, "cache"));
    }

    [TearDown]
    public void TearDown()
    {
        _environment.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<JsonElement> Eval(params string[] extra)
    {
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["eval", "--kernelbench", _dir, "--device", "cpu", "--level", "1", "--problem", "1",
            "--candidate", Path.Combine(_dir, "candidate.py"), "--format", "json", "--perf-trials", "4", "--trials", "2",
            "--warmup", "1", .. extra], console);
        Assert.That(code, Is.Zero, console.Output);
        using var doc = JsonDocument.Parse(console.Output.Trim());
        return doc.RootElement.Clone();
    }

    [Test]
    public async Task Eval_TimingKernelbench_TimesBothWithAutogradOn_SeparatelyAndSaysSo()
    {
        var kb = await Eval("--timing", "kernelbench");
        Assert.That(kb.GetProperty("status").GetString(), Is.EqualTo("correct"), kb.GetProperty("reason").GetString());
        // Both timings ran with autograd on (30 ms a call), the correctness trials did not need to.
        Assert.That(kb.GetProperty("runtime_ms").GetDouble(), Is.GreaterThan(25));
        Assert.That(kb.GetProperty("ref_runtime_ms").GetDouble(), Is.GreaterThan(25));
        Assert.That(kb.GetProperty("timing").GetString(), Is.EqualTo("kernelbench"));
        Assert.That(kb.GetProperty("timing_order").GetString(), Is.EqualTo("separate"));
        Assert.That(kb.GetProperty("timing_check").GetProperty("timing").GetString(),
            Does.Contain("KernelBench's cuda_event flow").And.Contain("host clock").And.Contain("right after the candidate's check"));

        // The default on a CPU: host time under no_grad, the reference beside the candidate.
        var plain = await Eval();
        Assert.That(plain.GetProperty("status").GetString(), Is.EqualTo("correct"));
        Assert.That(plain.GetProperty("runtime_ms").GetDouble(), Is.LessThan(20));
        Assert.That(plain.GetProperty("ref_runtime_ms").GetDouble(), Is.LessThan(20));
        Assert.That(plain.GetProperty("timing").GetString(), Is.EqualTo("host_time"));
        Assert.That(plain.GetProperty("timing_order").GetString(), Is.EqualTo("interleaved"));
    }

    [Test]
    public void Eval_TimingKernelbenchInterleaved_IsBadUsageNamingTheMethod()
    {
        var result = KbhProcess.Run("eval", "--kernelbench", _dir, "--level", "1", "--problem", "1",
            "--candidate", Path.Combine(_dir, "candidate.py"), "--timing", "kernelbench", "--timing-order", "interleaved");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("not kernelbench"));
    }
}
