using System.Text.Json;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Tests.Support;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Cli.Baseline;

/// <summary>`kbh baseline` through the real CLI routing and a real worker (Debian's PyTorch 1.13 on the CPU).</summary>
[Category("Slow")]
[NonParallelizable]
public class BaselineCommandTests
{
    private string _dir = "";
    private KbhEnvironment _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("kbh-baseline-").FullName;
        _environment = new KbhEnvironment(Path.Combine(_dir, "cache"));
    }

    [TearDown]
    public void TearDown()
    {
        _environment.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static Task<int> Baseline(TestConsole console, string outFile, params string[] extra) =>
        KbhApp.RunAsync(["baseline", "--kernelbench", Paths.SampleProblems, "--level", "1", "--problem", "2", "--device", "cpu",
            "--perf-trials", "3", "--trials", "1", "--out", outFile, .. extra], console);

    [Test]
    public async Task Baseline_Eager_WritesKernelBenchsBaselineJson()
    {
        var console = new TestConsole();
        var file = Path.Combine(_dir, "baseline_time_torch.json");
        var code = await Baseline(console, file);
        Assert.That(code, Is.Zero, console.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var entry = doc.RootElement.GetProperty("level1").EnumerateObject().Single();
        Assert.That(entry.Name, Does.StartWith("2_"));
        Assert.That(entry.Value.GetProperty("mean").GetDouble(), Is.GreaterThan(0));
        Assert.That(entry.Value.GetProperty("num_trials").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Baseline_TimesOnly_MakesNoCorrectnessInputsOrOutputs()
    {
        // A problem that counts its get_inputs() calls: a baseline needs the timing inputs, not five trials' outputs
        // (Level 1's are gigabytes each, made, moved and poisoned for nothing).
        var problems = Path.Combine(_dir, "problems", "level1");
        Directory.CreateDirectory(problems);
        var calls = Path.Combine(_dir, "calls.txt");
        File.WriteAllText(Path.Combine(problems, "1_Counted.py"), $$"""
            import torch
            import torch.nn as nn

            class Model(nn.Module):
                def forward(self, x):
                    return x * 2.0

            def get_inputs():
                with open({{JsonSerializer.Serialize(calls)}}, "a") as f:
                    f.write("call\n")
                return [torch.rand(8, 8)]

            def get_init_inputs():
                return []
            """);
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["baseline", "--kernelbench", Path.GetDirectoryName(problems)!, "--level", "1", "--device", "cpu",
            "--perf-trials", "3", "--trials", "5", "--out", Path.Combine(_dir, "b.json")], console);
        Assert.That(code, Is.Zero, console.Output);
        Assert.That(File.ReadAllLines(calls), Has.Length.EqualTo(1));
    }

    // Errors go to stderr: the real kbh as a process.
    private KbhProcess.Result BaselineProcess(string outFile, params string[] extra) =>
        KbhProcess.Run(["baseline", "--kernelbench", Paths.SampleProblems, "--level", "1", "--device", "cpu",
                "--perf-trials", "3", "--trials", "1", "--out", outFile, .. extra],
            environment: _environment.Variables.ToDictionary());

    [Test]
    public void Baseline_CompileOnPyTorch1_OneMessageNamingTheVersion_NoFile()
    {
        var file = Path.Combine(_dir, "baseline_time_torch_compile_inductor_default.json");
        var result = BaselineProcess(file, "--compile"); // every level 1 sample: refused once, not once per problem
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Stdout + result.Stderr);
        Assert.That(result.Stderr, Does.Contain("--compile: torch.compile needs PyTorch 2.0 or newer").And.Contain("torch 1."));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("failed"));
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public void Baseline_UnknownCompileMode_RefusedBeforeAnyWork()
    {
        var result = BaselineProcess(Path.Combine(_dir, "b.json"), "--compile", "--compile-mode", "max-autotun");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("--compile-mode max-autotun").And.Contain("max-autotune-no-cudagraphs"));
    }
}
