using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Rejects monkey-patching of what the harness measures or compares with: CUDA events, synchronize, the Python clocks,
/// allclose and friends, or methods of torch.Tensor. The worker keeps its own references before the candidate is
/// imported; this rule says so to the author instead of letting a patched timer go unnoticed in the source.
/// </summary>
public sealed partial class TimingPatchValidator(FindingSeverity severity = FindingSeverity.Reject)
    : RuleValidator("timing_event_patch", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (source.FindInCode(Assignment()) is { } assigned)
            yield return Finding(assigned, "assigns to a timing or comparison function the harness relies on",
                "do not replace torch.cuda.Event, torch.cuda.synchronize, time.* or torch.allclose; make the kernel fast instead.");
        else if (source.FindInCode(SetAttr()) is { } set)
            yield return Finding(set, "setattr on torch or time replaces a function the harness relies on",
                "remove the setattr; the candidate may only define ModelNew and its kernels.");
    }

    [GeneratedRegex(@"\b(torch\s*\.\s*cuda\s*\.\s*(Event|synchronize|Stream|current_stream|default_stream|elapsed_time)(\s*\.\s*\w+)?" +
                    @"|time\s*\.\s*(perf_counter|perf_counter_ns|time|time_ns|monotonic|monotonic_ns|process_time)" +
                    @"|torch\s*\.\s*(allclose|isclose|equal|testing\s*\.\s*assert_close|testing\s*\.\s*assert_allclose)" +
                    @"|torch\s*\.\s*Tensor\s*\.\s*\w+|triton\s*\.\s*testing\s*\.\s*do_bench)\s*=(?!=)")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\bsetattr\s*\(\s*(torch|time|triton)\b[\w.\s]*,")]
    private static partial Regex SetAttr();
}
