using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Flags work put on other CUDA streams, from Python or from the CUDA source: CUDA events time the current stream, so
/// work on another one can escape the measurement. The worker synchronizes the device before reading the end event,
/// which counts it anyway; this rule makes the pattern visible in the verdict.
/// </summary>
public sealed partial class StreamInjectionValidator(FindingSeverity severity = FindingSeverity.Flag)
    : RuleValidator("stream_injection", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (source.FindInCode(PythonStreams()) is { } py)
            yield return Finding(py, "runs work on a non-default CUDA stream, which the timer may not see",
                "launch on the current stream (torch.cuda.current_stream() / at::cuda::getCurrentCUDAStream()).");
        else if (source.FindInEmbedded(NativeStreams()) is { } native)
            yield return Finding(native, "creates or picks a non-default CUDA stream in the CUDA source, which the timer may not see",
                "launch on at::cuda::getCurrentCUDAStream() instead of a stream of your own.");
    }

    [GeneratedRegex(@"\b(torch\s*\.\s*)?cuda\s*\.\s*(Stream|ExternalStream)\s*\(|\bwith\s+torch\s*\.\s*cuda\s*\.\s*stream\b" +
                    @"|\.\s*(wait_stream|record_stream)\s*\(|torch\s*\.\s*cuda\s*\.\s*set_stream\s*\(")]
    private static partial Regex PythonStreams();

    [GeneratedRegex(@"\bcudaStreamCreate(WithFlags|WithPriority)?\b|\bcuStreamCreate\b|\bgetStreamFromPool\b|\bcudaStreamNonBlocking\b" +
                    @"|\bsetCurrentCUDAStream\b")]
    private static partial Regex NativeStreams();
}
