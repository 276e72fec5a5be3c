using KernelBench.Harness.Cli;
using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Html;
using KernelBench.Harness.Reports.Leaderboard;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>
/// The summary, a problem page with a three-attempt chain and the leaderboard site in real headless Chromium at 1400 px:
/// no console error, no horizontal overflow (with KernelBench's longest problem names), every image decoded, and the
/// problems table's sorting and filtering really work. Screenshots are attached; set KBH_SCREENSHOT_DIR to keep them.
/// </summary>
public sealed class PagesInChromiumTests
{
    private const int Width = 1400;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static async Task<PageLoad> Load(string html, string shotName, string? evaluate = null)
    {
        var page = await ChromiumPage.LoadAsync(html, Timeout, Width, evaluate, shotScale: 0.6, maxShotHeight: 3600);
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, shotName);
        await File.WriteAllBytesAsync(shot, page.Screenshot);
        TestContext.AddTestAttachment(shot, shotName);
        if (Environment.GetEnvironmentVariable("KBH_SCREENSHOT_DIR") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(shot, Path.Combine(keep, shotName), overwrite: true);
        }
        Assert.That(page.ConsoleErrors, Is.Empty);
        Assert.That(page.InnerWidth, Is.EqualTo(Width));
        Assert.That(page.OverflowsHorizontally, Is.False, $"page is {page.ScrollWidth} px wide in a {page.InnerWidth} px window");
        Assert.That(page.Images.Where(i => i.NaturalWidth == 0), Is.Empty, "every image decodes");
        return page;
    }

    [Test]
    public async Task Summary_At1400px_NoOverflowImagesDecodeSortAndFilterWork()
    {
        var outcome = ReportGenerator.Generate(ShowcaseRun.Write(_temp.Sub("run")));
        // Click "Speedup" twice (descending), read the first row's problem; then filter to "timeout" rows, list the visible ones, and clear the filter.
        const string script = """
            (function () {
              var th = Array.from(document.querySelectorAll('#problems th')).find(function (h) { return h.textContent === 'Speedup'; });
              th.click(); th.click();
              var first = document.querySelector('#problems tbody tr').cells[0].textContent;
              var select = document.querySelector('select[data-filter="problems"]');
              select.value = 'timeout'; select.dispatchEvent(new Event('input'));
              var visible = Array.from(document.querySelectorAll('#problems tbody tr')).filter(function (r) { return !r.hidden; });
              var result = first + '|' + visible.map(function (r) { return r.cells[0].textContent; }).join(',');
              select.value = ''; select.dispatchEvent(new Event('input'));
              return result;
            })()
            """;
        var page = await Load(Path.Combine(outcome.ReportFolder, HtmlExporter.FileName), "summary.png", script);
        // Speedups: L1/81 102x > L1/19 2.0x > L2/78 1.3x > L1/75 0.97x; only L3/43 timed out.
        Assert.That(page.Evaluated, Is.EqualTo("L1/81|L3/43"));
        Assert.That(page.Images, Has.Count.EqualTo(6));
        Assert.That(page.Images.Select(i => i.NaturalWidth), Is.All.EqualTo(KernelBench.Harness.Reports.Plots.PlotRenderer.Width));
    }

    [Test]
    public async Task ProblemPage_ThreeAttemptChain_At1400px()
    {
        var outcome = ReportGenerator.Generate(ShowcaseRun.Write(_temp.Sub("run")));
        // Open every folded part so the screenshot and the overflow check see the prompts, answers and code too.
        var page = await Load(Path.Combine(outcome.ReportFolder, ProblemPage.RelativePath(new(1, 19))), "problem-page.png",
            "document.querySelectorAll('details').forEach(function (d) { d.open = true; }); String(document.querySelectorAll('section.attempt').length)");
        Assert.That(page.Evaluated, Is.EqualTo("3"));
    }

    [Test]
    public async Task LeaderboardSite_At1400px_RunLinksOpen()
    {
        var a = RunFolderBuilder.WorkedExample(_temp.Sub("a"));
        var b = ShowcaseRun.Write(_temp.Sub("b"));
        var c = new RunFolderBuilder(_temp.Sub("c"), RunFolderBuilder.Manifest("other-gpu", ["L1/1"], gpu: "NVIDIA A100"))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3)).Folder;
        var site = _temp.Sub("site");
        var console = new TestConsole();
        Assert.That(await KbhApp.RunAsync(["leaderboard", a, b, c, "--html", site], console), Is.Zero, console.Output);
        // Every run link resolves to a file the site holds.
        const string script = "Array.from(document.querySelectorAll('td a')).map(function (x) { return x.getAttribute('href'); }).join(',')";
        var page = await Load(Path.Combine(site, LeaderboardSite.IndexFile), "leaderboard.png", script);
        var links = page.Evaluated!.Split(',').Distinct().ToList();
        Assert.That(links, Has.Count.EqualTo(3));
        Assert.That(links.Select(l => File.Exists(Path.Combine(site, l))), Is.All.True, string.Join(", ", links));
    }
}
