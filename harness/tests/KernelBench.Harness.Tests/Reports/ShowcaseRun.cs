using KernelBench.Harness.Scoring.Timing;
using KernelBench.Harness.Scoring.Verdicts;
using KernelBench.Harness.Store;

namespace KernelBench.Harness.Tests.Reports;

/// <summary>
/// A run folder with what real runs have and the worked example lacks: KernelBench's longest problem names, a three-attempt
/// chain with prompts, answers, reasoning, code, tokens and retries, a 102x outlier, a 0.97x kernel, a flagged PyTorch
/// wrapper and a timeout. Numbers (worked out in the tests that use them):
/// L1/19 chain 0: compile_error (20 s), incorrect (20 s), correct (20 s) at 1.0/0.5 = 2.00x, lower 0.95/0.55 = 1.727x;
/// L1/75 correct 0.97/1.0 = 0.97x, lower 0.96/1.02 = 0.941x; L1/81 correct 1.02/0.01 = 102x, lower 1.0/0.0101 = 99.0x
/// (excessive_speedup); L2/78 correct 1.3x (pytorch_wrap); L3/43 timeout.
/// </summary>
public static class ShowcaseRun
{
    public const string LongName75 = "75_conv_transposed_2D_asymmetric_input_asymmetric_kernel_strided__grouped____padded____dilated__";
    public const string LongName81 = "81_conv_transposed_2D_asymmetric_input_square_kernel___dilated____padded____strided__";
    public const string Code0 = "import torch\nclass ModelNew:\n    pass\n";
    public const string Code1 = "import torch\nclass ModelNew(torch.nn.Module):\n    pass\n    # fused relu\n";
    public const string Code2 = "import torch\nclass ModelNew(torch.nn.Module):\n    def forward(self, x):\n        return relu_cuda(x)\n    # fused relu\n";
    public const string HostilePrompt = "Write a ReLU kernel. </pre><script>alert(1)</script>";

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Write(string folder)
    {
        var manifest = RunFolderBuilder.Manifest("showcase", ["L1/19", "L1/75", "L1/81", "L2/78", "L3/43"], minutes: 10);
        var b = new RunFolderBuilder(folder, manifest);
        b.Append(Chained(0, "compile_error", Code0, null, null, "nvcc: error: expected a ';'", retries: 0))
         .Append(Chained(1, "incorrect", Code1, (1.0, 0.9, 1.1), (1.0, 0.95, 1.05), "max abs diff 0.5 at trial 0", retries: 0))
         .Append(Chained(2, "correct", Code2, (0.5, 0.45, 0.55), (1.0, 0.95, 1.05), "", retries: 1));
        b.Attempt(1, 75, 0, "correct", 30, 0, cand: (1.0, 0.98, 1.02), reference: (0.97, 0.96, 0.98), name: LongName75)
         .Attempt(1, 81, 0, "correct", 30, 0, cand: (0.01, 0.0099, 0.0101), reference: (1.02, 1.0, 1.04), flags: ["excessive_speedup"], name: LongName81)
         .Attempt(2, 78, 0, "correct", 40, 0, cand: (1.0, 0.9, 1.1), reference: (1.3, 1.2, 1.4), flags: ["pytorch_wrap"], name: "78_ConvTranspose3d_Max_Max_Sum")
         .Attempt(3, 43, 0, "timeout", 50, 0, name: "43_MinGPTCausalAttention");
        return b.Folder;
    }

    private static AttemptRecord Chained(int index, string status, string code, (double M, double Lo, double Hi)? cand,
        (double M, double Lo, double Hi)? reference, string reason, int retries) => new()
    {
        ProblemKey = "L1/19",
        Level = 1,
        ProblemId = 19,
        ProblemName = "19_ReLU",
        ProblemSha256 = "sha119",
        Chain = 0,
        Index = index,
        Status = status,
        StartedAt = T0.AddMinutes(index),
        EndedAt = T0.AddMinutes(index).AddSeconds(20),
        ChargedSeconds = 20,
        Source = "model",
        Code = code,
        Prompt = index == 0 ? HostilePrompt : $"Your previous attempt was {(index == 1 ? "compile_error" : "incorrect")}. Fix it.",
        Response = $"Here is attempt {index}.\n```python\n{code}```",
        Reasoning = $"thinking about attempt {index}",
        PromptTokens = 1200 + index,
        CompletionTokens = 345,
        Retries = retries,
        RetryLog = retries > 0 ? ["429 rate limited, waited 2 s"] : null,
        FinishReason = "stop",
        Model = "deepseek-r1",
        Verdict = new Verdict
        {
            Status = Enum.Parse<VerdictStatus>(status.Replace("_", ""), ignoreCase: true),
            Reason = reason,
            Level = 1,
            ProblemId = 19,
            Runtime = cand is { } c ? Timing(c) : null,
            RefRuntime = reference is { } r ? Timing(r) : null,
        },
    };

    private static TimingSummary Timing((double M, double Lo, double Hi) t) =>
        new() { MeanMs = t.M, MedianMs = t.M, MinMs = t.Lo, MaxMs = t.Hi, CiLowerMs = t.Lo, CiUpperMs = t.Hi, Trials = 100 };
}
