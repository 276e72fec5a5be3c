using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Flags `torch.nn` compute layers (nn.Linear, nn.Conv2d, nn.ReLU...) in the candidate: the layer does the work, not
/// the candidate's kernel. Containers and parameters (Module, Parameter(List/Dict), ModuleList/Dict, init) are allowed,
/// and so is the reference `Model` when the candidate keeps a copy of it.
/// </summary>
public sealed partial class PyTorchWrapValidator(FindingSeverity severity = FindingSeverity.Flag)
    : RuleValidator("pytorch_wrap", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (ReferenceFree.Find(source, ComputeLayer()) is { } hit)
            yield return Finding(hit, "uses a torch.nn compute layer, so PyTorch computes instead of the candidate's kernel",
                "keep only the weights (nn.Parameter) and compute with your own kernel.");
    }

    [GeneratedRegex(@"(?<![\w.])(torch\s*\.\s*)?nn\s*\.\s*(?!(Module|Parameter|ParameterList|ParameterDict|ModuleList|ModuleDict|init|functional|parameter|utils)\b)[A-Za-z_]\w*")]
    private static partial Regex ComputeLayer();
}
