using System.Text.Json;
using KernelBench.Harness.Tests.Scoring.Engine;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Cli.Eval;

/// <summary>
/// Candidates that build their extension after import, as many published kernels do: in forward() on the first call
/// (CUDA-L1's L1/10) or in __init__ (CUDA-L1's L2/4 and L2/13): the build request reaches the judge's trusted build step
/// during a correctness trial or the model's construction, not only while the candidate is imported. On an H100 on
/// 2026-12-06 such a request was taken for the answer to the judge's call ("outputs that do not match their
/// descriptions"; a build reply that never came, then a model left on the CPU) where KernelBench judged all three correct.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class LazyBuildTests
{
    private const string Candidate = """
        import torch
        import torch.nn as nn
        from torch.utils.cpp_extension import load_inline

        SOURCE = r'''
        #include <torch/extension.h>
        torch::Tensor scale_shift(torch::Tensor x) { return x * 2.0 + 1.0; }
        '''


        class ModelNew(nn.Module):
            def __init__(self):
                super().__init__()
                self.ext = None
                if WHERE == "init":
                    self.ext = load_inline(name="kbh_init_scale_shift", cpp_sources=SOURCE, functions=["scale_shift"])

            def forward(self, x):
                if self.ext is None:  # built on the first call, not at import
                    self.ext = load_inline(name="kbh_lazy_scale_shift", cpp_sources=SOURCE, functions=["scale_shift"])
                return self.ext.scale_shift(x)
        """;

    [TestCase("forward")]
    [TestCase("init")]
    public void Eval_CandidateThatBuildsItsExtensionAfterImport_IsJudgedWithItsOwnKernel(string where)
    {
        using var dir = new TempDir();
        var candidate = Path.Combine(dir.Path, "lazy.py");
        File.WriteAllText(candidate, Candidate.Replace("WHERE == ", $"{JsonSerializer.Serialize(where)} == "));
        var result = KbhProcess.Run(
            ["eval", "--kernelbench", Paths.SampleProblems, "--device", "cpu", "--level", "1", "--problem", "1",
             "--candidate", candidate, "--format", "json", "--perf-trials", "3", "--trials", "2"],
            environment: new Dictionary<string, string?> { ["KBH_CACHE"] = Path.Combine(dir.Path, "cache"), ["KBH_PYTHON"] = ScoringFixtures.Python });

        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout.Trim());
        var verdict = doc.RootElement;
        Assert.That(verdict.GetProperty("status").GetString(), Is.EqualTo("correct"), verdict.GetProperty("reason").GetString());
        // Built by the judge's trusted build step into the shared cache, during the trial.
        Assert.That(Directory.EnumerateFiles(Path.Combine(dir.Path, "cache"), "*.so", SearchOption.AllDirectories).Any(), Is.True,
            "the extension was built into the build cache");
    }
}
