namespace KernelBench.Harness.Reports.Plots;

/// <summary>A rendered plot (PNG bytes), or the reason it could not be drawn.</summary>
public sealed record ReportPlot(string Title, string FileName, byte[]? Png, string? Error);
