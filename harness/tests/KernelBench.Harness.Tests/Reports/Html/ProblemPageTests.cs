using System.Text.RegularExpressions;
using System.Xml.Linq;
using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Html;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>The page per problem and the problems table that links to it, on <see cref="ShowcaseRun"/> (numbers worked out there).</summary>
public sealed class ProblemPageTests
{
    private TempFolder _temp = null!;
    private ReportOutcome _outcome = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _outcome = ReportGenerator.Generate(ShowcaseRun.Write(_temp.Sub("run")));
        Assert.That(_outcome.Failures, Is.Empty);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Page(string file) => File.ReadAllText(Path.Combine(_outcome.ReportFolder, ProblemPage.Folder, file));

    [Test]
    public void Pages_OnePerAttemptedProblem_LinkedFromTheProblemsTable()
    {
        var pages = Directory.GetFiles(Path.Combine(_outcome.ReportFolder, ProblemPage.Folder)).Select(Path.GetFileName).Order();
        Assert.That(pages, Is.EqualTo(new[] { "L1_19.html", "L1_75.html", "L1_81.html", "L2_78.html", "L3_43.html" }));
        var html = File.ReadAllText(Path.Combine(_outcome.ReportFolder, HtmlExporter.FileName));
        Assert.That(html, Does.Contain($"<a href=\"problems/L1_75.html\">{ShowcaseRun.LongName75}</a>"));
        Assert.That(html, Does.Contain("<table class=\"sortable\" id=\"problems\">").And.Contain("data-filter=\"problems\""));
    }

    [Test]
    public void ThreeAttemptChain_TimelineHasEachAttemptLinkedToItsSection()
    {
        var page = Page("L1_19.html");
        var rects = Regex.Matches(page, "<a href=\"#(c0-a\\d)\"><rect").Select(m => m.Groups[1].Value);
        Assert.That(rects, Is.EqualTo(new[] { "c0-a0", "c0-a1", "c0-a2" }));
        foreach (var id in rects)
            Assert.That(page, Does.Contain($"<section class=\"attempt\" id=\"{id}\">"));
        // The SVG is well-formed XML on its own (a browser would draw nothing otherwise).
        var svg = Regex.Match(page, "<svg class=\"timeline\".*?</svg>", RegexOptions.Singleline).Value;
        Assert.That(XElement.Parse(svg).Name.LocalName, Is.EqualTo("svg"));
    }

    [Test]
    public void ThreeAttemptChain_BestKernelFirstWithItsSpeedupAndInterval()
    {
        var page = Page("L1_19.html");
        var best = page.IndexOf("<h2>Best kernel</h2>", StringComparison.Ordinal);
        var timeline = page.IndexOf("<h2>Timeline</h2>", StringComparison.Ordinal);
        Assert.That(best, Is.GreaterThan(0).And.LessThan(timeline));
        // Speedup 1.0/0.5 = 2.00x; lower bound 0.95/0.55 = 1.727 -> 1.73x; first correct at the third attempt, 3 x 20 s = 60 s.
        Assert.That(page[best..timeline], Does.Contain("chain 0, attempt 2</a>, speedup 2.00x (lower 95% bound 1.73x)")
            .And.Contain("<pre class=\"best\">import torch\nclass ModelNew(torch.nn.Module):\n    def forward(self, x):"));
        Assert.That(page, Does.Contain("time to first correct 1.0 min (attempt 3)"));
        Assert.That(page, Does.Contain("0.5 ms mean, 95% CI [0.45, 0.55] ms, 100 trials"));
    }

    [Test]
    public void ThreeAttemptChain_EachAttemptHasReasonTokensRetriesAndFoldedTexts()
    {
        var page = Page("L1_19.html");
        var sections = Regex.Matches(page, "<section class=\"attempt\".*?</section>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.That(sections, Has.Count.EqualTo(3));
        Assert.That(sections[0], Does.Contain("compile_error").And.Contain("nvcc: error: expected a &#39;;&#39;").And.Contain("1,200 prompt, 345 completion; finish reason stop"));
        Assert.That(sections[1], Does.Contain("max abs diff 0.5 at trial 0").And.Contain("1,201 prompt"));
        Assert.That(sections[2], Does.Contain("<td class=\"wrap\">1: 429 rate limited, waited 2 s</td>"));
        // Reasoning, prompt and answer are folded (closed details); the first attempt's code is open.
        // "thinking about attempt 0": 8 + 1 + 5 + 1 + 7 + 1 + 1 = 24 characters.
        Assert.That(sections[0], Does.Contain("<details><summary>Reasoning (24 characters)</summary>"));
        Assert.That(sections[0], Does.Contain("<details><summary>Prompt (").And.Contain("<details><summary>Answer ("));
        Assert.That(sections[0], Does.Contain("<details open><summary>Code (first attempt of the chain)"));
    }

    [Test]
    public void ThreeAttemptChain_CodeDiffedAgainstThePreviousAttempt()
    {
        var sections = Regex.Matches(Page("L1_19.html"), "<section class=\"attempt\".*?</section>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        // Code0 -> Code1: "class ModelNew:" becomes "class ModelNew(torch.nn.Module):", "# fused relu" is new: 2 added, 1 removed.
        Assert.That(sections[1], Does.Contain("Diff against attempt 0 of this chain").And.Contain("2 line(s) added, 1 removed."));
        Assert.That(sections[1], Does.Contain("<span class=\"del\">- class ModelNew:</span><span class=\"add\">+ class ModelNew(torch.nn.Module):</span>"));
        // Code1 -> Code2: "pass" is replaced by the two forward lines: 2 added, 1 removed; the comment is unchanged.
        Assert.That(sections[2], Does.Contain("Diff against attempt 1 of this chain").And.Contain("2 line(s) added, 1 removed.")
            .And.Contain("<span class=\"same\">      # fused relu</span>"));
    }

    [Test]
    public void HostilePrompt_IsEncodedNeverRun()
    {
        var page = Page("L1_19.html");
        Assert.That(page, Does.Not.Contain("<script>alert(1)</script>"));
        Assert.That(page, Does.Contain("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(page, Does.Not.Contain("<script"), "problem pages need no script");
    }

    [Test]
    public void FailedProblem_ShowsTheAttemptThatGotFurthest()
    {
        Assert.That(Page("L3_43.html"), Does.Contain("No attempt was correct; the one that got furthest: <a href=\"#c0-a0\">chain 0, attempt 0</a> (timeout)"));
    }
}
