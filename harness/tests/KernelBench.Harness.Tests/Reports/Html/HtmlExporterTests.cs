using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Exporters;
using KernelBench.Harness.Reports.Html;
using KernelBench.Harness.Reports.Model;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>report.html and its plots, and the rule that a failing exporter costs nothing else.</summary>
public sealed class HtmlExporterTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Export_WorkedExample_SelfContainedHtmlWithPngAndSvgPlots()
    {
        var outcome = ReportGenerator.Generate(RunFolderBuilder.WorkedExample(_temp.Sub("run")));
        Assert.That(outcome.Failures, Is.Empty);
        var html = File.ReadAllText(Path.Combine(outcome.ReportFolder, HtmlExporter.FileName));
        // Attempts and minutes budget curves, the speedup distribution, fast_p for levels 1 and 2.
        Assert.That(html.Split("src=\"data:image/png;base64,").Length - 1, Is.EqualTo(5));
        Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("<script src").And.Not.Contain("Plot failed"));
        foreach (var png in Directory.GetFiles(Path.Combine(outcome.ReportFolder, HtmlExporter.PlotsFolder), "*.png"))
            Assert.That(File.ReadAllBytes(png).Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), png);
    }

    [Test]
    public void Generate_OneExporterThrows_OthersStillWriteAndFailureIsNamed()
    {
        var run = RunFolderBuilder.WorkedExample(_temp.Sub("run"));
        IReadOnlyList<IReportExporter> exporters = [new ThrowingExporter(), .. ReportGenerator.DefaultExporters()];
        var outcome = ReportGenerator.Generate(run, null, exporters);
        Assert.That(outcome.Failures.Select(f => f.Exporter), Is.EqualTo(new[] { "broken.png" }));
        Assert.That(File.Exists(Path.Combine(outcome.ReportFolder, "summary.csv")), Is.True);
        Assert.That(File.Exists(Path.Combine(outcome.ReportFolder, "report.html")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(outcome.ReportFolder, ReportGenerator.ErrorsFile)), Does.Contain("broken.png: InvalidOperationException: no renderer"));
    }

    [Test]
    public void Render_PlotWithError_ShowsTheErrorInPlace()
    {
        var model = ReportModel.Compute(RunFolderReader.Read(RunFolderBuilder.WorkedExample(_temp.Sub("run"))));
        var html = HtmlExporter.Render(model, [new KernelBench.Harness.Reports.Plots.ReportPlot("Accuracy", "a.png", null, "SkiaSharp missing")]);
        Assert.That(html, Does.Contain("Plot failed: SkiaSharp missing").And.Contain("66.7% / 33.3%"));
    }

    private sealed class ThrowingExporter : IReportExporter
    {
        public string Name => "broken.png";

        public IReadOnlyList<string> Export(ReportModel model, string reportFolder) => throw new InvalidOperationException("no renderer");
    }
}
