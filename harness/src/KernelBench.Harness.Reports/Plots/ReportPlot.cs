namespace KernelBench.Harness.Reports.Plots;

/// <summary>
/// A rendered plot (PNG bytes and the same plot as SVG, for papers), or the reason it could not be drawn. FileName is the
/// PNG's; the SVG has the same name with .svg. Caption says what a reader needs beyond the title (values past the axis).
/// </summary>
public sealed record ReportPlot(string Title, string FileName, byte[]? Png, string? Error)
{
    public string? Svg { get; init; }
    public string Caption { get; init; } = "";

    public string SvgFileName => Path.ChangeExtension(FileName, ".svg");
}
