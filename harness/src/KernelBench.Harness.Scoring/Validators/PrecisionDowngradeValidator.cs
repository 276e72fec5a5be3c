using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Flags computing an fp32 problem in lower precision (fp16, bf16, TF32): such a candidate can pass only the loose
/// tolerance and its speedup is not comparable. Silent when the reference problem itself uses reduced precision.
/// </summary>
public sealed partial class PrecisionDowngradeValidator(FindingSeverity severity = FindingSeverity.Flag)
    : RuleValidator("precision_downgrade", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (ReducedPrecisionProblem(candidate))
            yield break;
        if (source.FindInCode(PythonDowncast()) is { } py)
            yield return Finding(py, "casts an fp32 problem to reduced precision (fp16/bf16/TF32)",
                "compute in float32 as the reference does; reduced precision is only fair when the run's --precision asks for it.");
        else if (source.FindInEmbedded(CudaHalf()) is { } native)
            yield return Finding(native, "uses half/bfloat16 types in the CUDA source of an fp32 problem",
                "compute in float; reduced precision is only fair when the run's --precision asks for it.");
    }

    // The reference sets the problem's precision; scan its code, not its docstring, through the same lexer.
    private static bool ReducedPrecisionProblem(CandidateContext candidate) =>
        ProblemDtype().IsMatch(CandidateViews.Parse(candidate.Problem.Source).Code);

    [GeneratedRegex(@"\b(float16|bfloat16|half)\b")]
    private static partial Regex ProblemDtype();

    [GeneratedRegex(@"\.\s*(half|bfloat16)\s*\(\s*\)|\btorch\s*\.\s*(float16|half|bfloat16)\b|\bautocast\b|\ballow_tf32\s*=\s*True" +
                    @"|\bset_float32_matmul_precision\s*\(")]
    private static partial Regex PythonDowncast();

    [GeneratedRegex(@"\b(__half2?|half2|__nv_bfloat162?|__float2half\w*|__float2bfloat16\w*|at\s*::\s*(kHalf|Half|kBFloat16|BFloat16)" +
                    @"|torch\s*::\s*(kFloat16|kHalf|kBFloat16)|c10\s*::\s*(Half|BFloat16))\b")]
    private static partial Regex CudaHalf();
}
