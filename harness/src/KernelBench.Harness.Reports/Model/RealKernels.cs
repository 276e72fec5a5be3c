namespace KernelBench.Harness.Reports.Model;

/// <summary>
/// The second track of every summary: real kernels only. A correct attempt flagged pytorch_only (no extension was built)
/// or pytorch_wrap (torch.nn layers do the work) is PyTorch, not a kernel, so in this track it counts as a failed
/// attempt ("rejected") and the problem's best real kernel, if any, is scored instead.
/// </summary>
public static class RealKernels
{
    public static readonly IReadOnlyList<string> NotKernelFlags = ["pytorch_only", "pytorch_wrap"];

    public static bool IsNotKernel(Store.AttemptRecord a) => a.Verdict?.Flags.Any(NotKernelFlags.Contains) == true;

    public static RunData Only(RunData run) => run with
    {
        Attempts = run.Attempts.Select(a => a.Status == "correct" && IsNotKernel(a) ? a with { Status = "rejected" } : a).ToList(),
    };
}
