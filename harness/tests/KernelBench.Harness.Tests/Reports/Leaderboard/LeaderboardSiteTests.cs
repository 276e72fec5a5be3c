using System.Text.RegularExpressions;
using KernelBench.Harness.Cli;
using KernelBench.Harness.Reports.Leaderboard;
using Spectre.Console.Testing;

namespace KernelBench.Harness.Tests.Reports.Leaderboard;

/// <summary>`kbh leaderboard --html DIR` on the three runs of <see cref="LeaderboardTests"/> (their ranks worked out there).</summary>
public sealed class LeaderboardSiteTests
{
    private TempFolder _temp = null!;
    private string _site = null!;
    private string _html = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempFolder();
        var a = RunFolderBuilder.WorkedExample(_temp.Sub("a"));
        var b = new RunFolderBuilder(_temp.Sub("b"), RunFolderBuilder.Manifest("b", ["L1/1", "L1/2", "L1/3", "L2/1"]))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1.5, 1.5, 1.5))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1.5, 1.5, 1.5))
            .Attempt(1, 3, 0, "correct", 10, 0, cand: (2, 2, 2), reference: (1, 1, 1))
            .Attempt(2, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (1, 1, 1)).Folder;
        var c = new RunFolderBuilder(_temp.Sub("c"), RunFolderBuilder.Manifest("c", ["L1/1", "L1/2", "L1/3"], gpu: "NVIDIA A100"))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3))
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3))
            .Attempt(1, 3, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3)).Folder;
        _site = _temp.Sub("site");
        var console = new TestConsole();
        var code = await KbhApp.RunAsync(["leaderboard", c, b, a, "--html", _site], console);
        Assert.That(code, Is.Zero, console.Output);
        _html = File.ReadAllText(Path.Combine(_site, LeaderboardSite.IndexFile));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static List<string> RunIds(string table) =>
        Regex.Matches(table, "<a href=\"runs/[^\"]+\">([^<]+)</a>").Select(m => m.Groups[1].Value).ToList();

    [Test]
    public void Level1_GroupOneRankedByNoiseAwareFast1_OtherGpuApartWithReason()
    {
        var level1 = _html[_html.IndexOf("<h2>Level 1</h2>", StringComparison.Ordinal).._html.IndexOf("<h2>Level 2</h2>", StringComparison.Ordinal)];
        var group2 = level1.IndexOf("<h3>Group 2</h3>", StringComparison.Ordinal);
        // b (noise-aware fast_1 2/3) above test-run (1/3); c on another GPU in its own group.
        Assert.That(RunIds(level1[..group2]), Is.EqualTo(new[] { "b", "test-run" }));
        Assert.That(RunIds(level1[group2..]), Is.EqualTo(new[] { "c" }));
        Assert.That(level1[group2..], Does.Contain("Not comparable with group 1: GPU NVIDIA A100 vs NVIDIA H100."));
        Assert.That(level1[..group2], Does.Contain("66.7%").And.Contain("GPU NVIDIA H100"));
    }

    [Test]
    public void EachRunLinksToItsOwnReportInsideTheSite()
    {
        var links = Regex.Matches(_html, "<a href=\"(runs/[^\"]+)\">([^<]+)</a>").Select(m => (Href: m.Groups[1].Value, Id: m.Groups[2].Value)).Distinct().ToList();
        // Runs were given as c, b, a: numbered in that order.
        Assert.That(links.OrderBy(l => l.Href), Is.EqualTo(new[]
        {
            ("runs/01-c/report.html", "c"), ("runs/02-b/report.html", "b"), ("runs/03-test-run/report.html", "test-run"),
        }));
        foreach (var (href, id) in links)
            Assert.That(File.ReadAllText(Path.Combine(_site, href)), Does.Contain($"KernelBench report: {id}"));
        Assert.That(Directory.Exists(Path.Combine(_site, "runs", "03-test-run", "problems")), Is.True);
    }

    [Test]
    public void Page_SelfContainedAndSortable()
    {
        Assert.That(_html, Does.Not.Contain("src=\"http").And.Not.Contain("href=\"http").And.Not.Contain("<link"));
        Assert.That(Regex.Matches(_html, "<table class=\"sortable\"").Count, Is.EqualTo(3), "level 1: two groups; level 2: one");
    }

    [Test]
    public void Safe_RunIdCannotLeaveTheSite()
    {
        Assert.That(LeaderboardSite.Safe("../../etc/x"), Is.EqualTo("_.._etc_x"));
        Assert.That(LeaderboardSite.Safe(""), Is.EqualTo("run"));
    }
}
