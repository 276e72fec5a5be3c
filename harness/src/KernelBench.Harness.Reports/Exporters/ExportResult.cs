namespace KernelBench.Harness.Reports.Exporters;

/// <summary>What one exporter did: the files it wrote, or why it failed.</summary>
public sealed record ExportResult(string Exporter, IReadOnlyList<string> Files, string? Error)
{
    public bool Succeeded => Error is null;
}
