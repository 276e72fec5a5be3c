namespace KernelBench.Harness.Scoring.Engine;

/// <summary>KernelBench's tolerances: fp32 1e-4, fp16/bf16 1e-2; "legacy" is the 1e-2 of KernelBench v0/v0.1.</summary>
public static class Tolerances
{
    public static readonly IReadOnlyList<string> Precisions = ["fp32", "fp16", "bf16"];

    public static double For(string precision, bool legacy) =>
        legacy ? 1e-2 : precision switch
        {
            "fp32" => 1e-4,
            "fp16" or "bf16" => 1e-2,
            _ => throw new KernelBench.Harness.Problems.BadInputException($"unknown precision '{precision}' (expected fp32, fp16 or bf16)."),
        };
}
