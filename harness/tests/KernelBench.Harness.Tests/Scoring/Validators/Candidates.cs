using KernelBench.Harness.Problems;
using KernelBench.Harness.Scoring.Validators;
using KernelBench.Harness.Tests.Support;

namespace KernelBench.Harness.Tests.Scoring.Validators;

/// <summary>Candidate contexts for validator tests: the repo's sample problem L1/1 (fp32) and real candidate sources.</summary>
internal static class Candidates
{
    public static Problem Problem(int level = 1, int id = 1) =>
        ProblemLoader.Load(Paths.SampleProblems).Find(level, id) ?? throw new InvalidOperationException($"sample L{level}/{id} missing");

    /// <summary>The repo's correct C++ load_inline candidate for L1/1: every validator must pass it.</summary>
    public static CandidateContext Clean() =>
        new(Problem(), File.ReadAllText(Path.Combine(Paths.SampleCandidates, "correct", "level1", "1.py")), "cuda");

    public static CandidateContext Of(string source, Problem? problem = null) => new(problem ?? Problem(), source, "cuda");

    /// <summary>A candidate built like the clean one, with <paramref name="forwardBody"/> as ModelNew.forward's body.</summary>
    public static CandidateContext WithForward(string forwardBody, string header = "", string cppExtra = "") => Of($$"""
        import torch
        import torch.nn as nn
        from torch.utils.cpp_extension import load_inline
        {{header}}
        cpp_source = r'''
        #include <torch/extension.h>
        {{cppExtra}}
        torch::Tensor scale_shift(torch::Tensor x) {
            return x * 2 + 1;
        }
        '''

        ext = load_inline(name="ext", cpp_sources=cpp_source, functions=["scale_shift"])


        class ModelNew(nn.Module):
            def __init__(self):
                super().__init__()

            def forward(self, x):
        {{forwardBody}}
        """);
}
