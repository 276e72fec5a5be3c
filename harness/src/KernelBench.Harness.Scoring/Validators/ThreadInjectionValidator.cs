using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// Rejects threads and processes: work handed to another thread or process escapes the timer (the events measure only
/// the calling stream), and a thread can also change outputs after the comparison read them.
/// </summary>
public sealed partial class ThreadInjectionValidator(FindingSeverity severity = FindingSeverity.Reject)
    : RuleValidator("thread_injection", severity)
{
    protected override IEnumerable<ValidationFinding> Check(CandidateContext candidate, CandidateViews source)
    {
        if (source.FindInCode(PythonThreads()) is { } py)
            yield return Finding(py, "uses Python threads or processes, whose work escapes the timer",
                "do all the work in forward on the calling thread; parallelism belongs inside the kernel.");
        else if (source.FindInEmbedded(NativeThreads()) is { } native)
            yield return Finding(native, "starts host threads in the C++/CUDA source, whose work escapes the timer",
                "launch the work from the calling thread; parallelism belongs inside the kernel.");
    }

    [GeneratedRegex(@"\b(import\s+(threading|multiprocessing|_thread|concurrent)\b|from\s+(threading|multiprocessing|_thread|concurrent)\b" +
                    @"|threading\s*\.\s*Thread|multiprocessing\s*\.\s*(Process|Pool|Manager|Queue|Pipe)|concurrent\s*\.\s*futures" +
                    @"|ThreadPoolExecutor|ProcessPoolExecutor|os\s*\.\s*fork\s*\()")]
    private static partial Regex PythonThreads();

    [GeneratedRegex(@"\bstd\s*::\s*(thread|jthread|async)\b|\bpthread_create\b")]
    private static partial Regex NativeThreads();
}
