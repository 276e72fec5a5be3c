using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Checks that a candidate contains a kernel of the backend it claims: for `cuda` a `__global__` function built with
/// load_inline/cpp_extension, for `triton` an @triton.jit (or autotune) function using tl.* ops. KernelBench makes
/// this strict; here it flags by default because CPU runs take C++ load_inline candidates with no `__global__`.
/// Backends without a rule here (tilelang, cute, thunderkittens) pass unchecked.
/// </summary>
public sealed partial class BackendImplementationValidator(FindingSeverity severity = FindingSeverity.Flag)
    : RuleValidator("backend_impl", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        var start = new CandidateViews.Hit("(whole file)", 1);
        switch (candidate.Backend.ToLowerInvariant())
        {
            case "cuda" when source.FindInEmbedded(CudaKernel()) is null:
                yield return Finding(start, "backend is cuda but no `__global__` kernel is defined in the CUDA sources",
                    "write the computation as a __global__ kernel and build it with load_inline.");
                break;
            case "cuda" when source.FindInCode(CudaBuild()) is null:
                yield return Finding(start, "backend is cuda but nothing builds the kernel (no load_inline / cpp_extension)",
                    "build the CUDA source with torch.utils.cpp_extension.load_inline.");
                break;
            case "triton" when source.FindInCode(TritonJit()) is null || source.FindInCode(TritonOps()) is null:
                yield return Finding(start, "backend is triton but no @triton.jit function with tl.* operations is defined",
                    "write the computation as an @triton.jit kernel using tl.load/tl.store.");
                break;
        }
    }

    [GeneratedRegex(@"\b__global__\b")]
    private static partial Regex CudaKernel();

    [GeneratedRegex(@"\b(load_inline|cpp_extension)\b")]
    private static partial Regex CudaBuild();

    [GeneratedRegex(@"@\s*triton\s*\.\s*(jit|autotune)\b")]
    private static partial Regex TritonJit();

    [GeneratedRegex(@"\btl\s*\.\s*\w+")]
    private static partial Regex TritonOps();
}
