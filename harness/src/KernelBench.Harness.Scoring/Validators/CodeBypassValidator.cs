using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Rejects a `ModelNew` that does not run its own code: a try/except that can fall back to PyTorch when the kernel
/// fails to build or run, a `ModelNew` that inherits the reference `Model` and leaves `forward` to it, or a `forward`
/// that calls the reference (`super().forward`, `Model.forward`, a `Model(...)` instance) or is only `pass`.
/// </summary>
public sealed partial class CodeBypassValidator(FindingSeverity severity = FindingSeverity.Reject)
    : RuleValidator("code_bypass", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (source.FindInCode(TryExcept()) is { } tryHit)
            yield return Finding(tryHit, "try/except in the candidate can hide a fallback to the PyTorch reference when the kernel fails",
                "remove the try/except and let a build or launch error surface; it is reported as compile_error or runtime_error.");

        if (source.ClassBody("ModelNew") is not { } cls)
            yield break;
        var inheritsReference = ReferenceBase().IsMatch(cls.Bases);
        var forward = source.MethodBody("ModelNew", "forward");
        if (forward is null && inheritsReference)
        {
            yield return Finding(new CandidateViews.Hit("class ModelNew(" + cls.Bases + ")", source.LineOf(cls.Start)),
                "ModelNew inherits the reference Model and does not define forward, so the reference runs",
                "derive ModelNew from nn.Module and implement forward with your kernel.");
            yield break;
        }
        if (forward is not { } body)
            yield break;
        if (source.FindInCode(CallsReference(), body.Start, body.End) is { } call)
            yield return Finding(call, "ModelNew.forward calls the reference implementation",
                "compute the output with your own kernel instead of calling Model/super().forward.");
        else if (source.FindInCode(OnlyPass(), body.Start, body.End) is { } pass && inheritsReference)
            yield return Finding(pass, "ModelNew.forward is only `pass` on top of the reference Model",
                "implement forward with your kernel.");
        if (inheritsReference is false && source.FindInCode(BuildsReference(), cls.Start, cls.End) is { } build)
            yield return Finding(build, "ModelNew builds an instance of the reference Model",
                "keep the weights in ModelNew's own parameters and compute with your kernel.");
    }

    [GeneratedRegex(@"(?m)^[ \t]*(try[ \t]*:|except\b)")]
    private static partial Regex TryExcept();

    [GeneratedRegex(@"(^|[\s,])(Model|\w+\.Model)\s*($|,)")]
    private static partial Regex ReferenceBase();

    [GeneratedRegex(@"\bsuper\s*\([^)]*\)\s*\.\s*forward\b|(?<![\w.])Model\s*\.\s*forward\b|\bModel\s*\.\s*__call__\b")]
    private static partial Regex CallsReference();

    [GeneratedRegex(@"\A\s*pass\s*\z")]
    private static partial Regex OnlyPass();

    [GeneratedRegex(@"(?<![\w.])Model\s*\(")]
    private static partial Regex BuildsReference();
}
