using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Html;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>report.html opened in real headless Chromium: no console errors, every plot decodes; the screenshot is attached.</summary>
public sealed class HtmlInChromiumTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task ReportHtml_InChromium_NoConsoleErrorsAndPlotsDecode()
    {
        var outcome = ReportGenerator.Generate(RunFolderBuilder.WorkedExample(_temp.Sub("run")));
        var page = await ChromiumPage.LoadAsync(Path.Combine(outcome.ReportFolder, HtmlExporter.FileName), Timeout);

        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "report-html-screenshot.png");
        await File.WriteAllBytesAsync(shot, page.Screenshot);
        TestContext.AddTestAttachment(shot, "report.html in headless Chromium");

        Assert.That(page.ConsoleErrors, Is.Empty);
        Assert.That(page.Images, Has.Count.EqualTo(5));
        Assert.That(page.Images.Select(i => i.NaturalWidth), Is.All.EqualTo(KernelBench.Harness.Reports.Plots.PlotRenderer.Width));
        Assert.That(page.Screenshot.Length, Is.GreaterThan(10_000), "a screenshot of a rendered page");
    }

    [Test]
    public async Task BrokenPage_InChromium_CheckerSeesConsoleErrorUndecodedImageAndOverflow()
    {
        // The checker itself must be able to fail: a page with a console error and an image that is not a PNG.
        var html = _temp.Sub("broken.html");
        await File.WriteAllTextAsync(html,
            "<!DOCTYPE html><html><body><img alt=\"bad\" src=\"data:image/png;base64,bm90IGEgcG5n\">" +
            "<div style=\"width:2000px\">wide</div><script>console.error('boom')</script></body></html>");
        var page = await ChromiumPage.LoadAsync(html, Timeout, width: 1400);
        Assert.That(page.ConsoleErrors, Has.Some.Contains("boom"));
        Assert.That(page.Images, Is.EqualTo(new[] { ("bad", 0) }));
        Assert.That((page.InnerWidth, page.OverflowsHorizontally), Is.EqualTo((1400, true)), "a 2000 px block overflows a 1400 px window");
    }
}
