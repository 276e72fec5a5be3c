namespace KernelBench.Harness.Scoring.Verdicts;

/// <summary>Hardware and software a verdict was measured on.</summary>
public sealed record EnvironmentInfo
{
    public string GpuName { get; init; } = "";
    public string GpuUuid { get; init; } = "";
    public int? GpuIndex { get; init; }
    public string Driver { get; init; } = "";
    public string CudaVersion { get; init; } = "";
    public string TorchVersion { get; init; } = "";
    public string PythonVersion { get; init; } = "";
    public string HarnessVersion { get; init; } = "";
    public string Hostname { get; init; } = "";
}
