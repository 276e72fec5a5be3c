using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Flags high-level PyTorch compute ops (torch.matmul, torch.conv2d, F.relu, F.linear...) in the candidate's Python:
/// a candidate that builds a kernel but computes with these is PyTorch with extra steps. Flag by default, as in
/// KernelBench, because replacing some ops and keeping others is a legitimate setting; make it reject for a strict one.
/// </summary>
public sealed partial class TorchComputationOpsValidator(FindingSeverity severity = FindingSeverity.Flag)
    : RuleValidator("torch_computation_ops", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (ReferenceFree.Find(source, TorchOp()) is { } op)
            yield return Finding(op, "computes with a PyTorch op instead of the candidate's kernel",
                "implement this step in your kernel, or accept the flag if only part of the model is meant to be custom.");
        else if (ReferenceFree.Find(source, FunctionalOp()) is { } f)
            yield return Finding(f, "computes with torch.nn.functional instead of the candidate's kernel",
                "implement this step in your kernel, or accept the flag if only part of the model is meant to be custom.");
    }

    [GeneratedRegex(@"(?<![\w.])torch\s*\.\s*(mm|bmm|matmul|einsum|addmm|baddbmm|conv[123]d|conv_transpose[123]d|conv" +
                    @"|(avg|max)_pool[123]d|adaptive_(avg|max)_pool[123]d|relu|hardtanh|elu|selu|leaky_relu|gelu|softsign|softplus" +
                    @"|softmax|log_softmax|tanh|sigmoid|hardsigmoid|silu|mish|batch_norm|group_norm|layer_norm|instance_norm|rms_norm" +
                    @"|normalize|linear|cross_entropy|kl_div|mse_loss|huber_loss|triplet_margin_loss|cosine_similarity|logsumexp" +
                    @"|clamp|dropout|cumsum|cumprod|argmax|argmin)\s*\(")]
    private static partial Regex TorchOp();

    [GeneratedRegex(@"(?<![\w.])(torch\s*\.\s*nn\s*\.\s*functional|nn\s*\.\s*functional|F)\s*\.\s*(?!pad\b)[a-z_]\w*\s*\(")]
    private static partial Regex FunctionalOp();
}
