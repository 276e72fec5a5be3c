using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Rejects outputs that are not plain dense tensors: tensor subclasses, `__torch_function__`/`__torch_dispatch__`
/// overrides and `_make_subclass`/`as_subclass` wrappers can defer the work until the comparison reads the values
/// (outside the timer) or answer the comparison themselves.
/// </summary>
public sealed partial class LazyEvaluationValidator(FindingSeverity severity = FindingSeverity.Reject)
    : RuleValidator("lazy_eval", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (source.FindInCode(LazyPatterns()) is { } hit)
            yield return Finding(hit, "defines or builds a tensor subclass or torch-function override, which can defer or fake the computation",
                "return plain torch.Tensor outputs computed in forward.");
    }

    [GeneratedRegex(@"\b_make_subclass\b|\.\s*as_subclass\s*\(|__torch_function__|__torch_dispatch__|torch\s*\.\s*Tensor\s*\.\s*__new__" +
                    @"|(?m:^[ \t]*class[ \t]+\w+[ \t]*\([^)]*\b(torch\s*\.\s*)?Tensor\b[^)]*\))")]
    private static partial Regex LazyPatterns();
}
