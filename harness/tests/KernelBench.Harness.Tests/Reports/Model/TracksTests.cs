using KernelBench.Harness.Reports;
using KernelBench.Harness.Reports.Markdown;

namespace KernelBench.Harness.Tests.Reports.Model;

/// <summary>Two tracks in every summary: all correct answers, and real kernels only; a legend for every flag (issue 23, item 6).</summary>
public sealed class TracksTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void PyTorchAnswers_CountInTheFirstTrackOnly_AndEveryFlagHasALegend()
    {
        // L1/1: correct at 2x, flagged pytorch_only.
        // L1/2: correct at 3x flagged pytorch_wrap, then correct at 1.5x, a real kernel (flagged stream_injection).
        // L1/3: correct at 0.5x, a real kernel.
        // All correct answers: 3/3 correct; best speedups 2, 3, 0.5: fast_1 2/3 = 0.666667, geomean (2*3*0.5)^(1/3) = 1.44225.
        // Real kernels only:   L1/1 fails; L1/2 scores its 1.5x: 2/3 correct = 0.666667, fast_1 1/3 = 0.333333,
        //                      geomean (1.5*0.5)^(1/2) = 0.866025.
        var folder = new RunFolderBuilder(_temp.Sub("run"), RunFolderBuilder.Manifest(keys: ["L1/1", "L1/2", "L1/3"]))
            .Attempt(1, 1, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (2, 2, 2), flags: ["pytorch_only"])
            .Attempt(1, 2, 0, "correct", 10, 0, cand: (1, 1, 1), reference: (3, 3, 3), flags: ["pytorch_wrap"])
            .Attempt(1, 2, 1, "correct", 10, 1, cand: (1, 1, 1), reference: (1.5, 1.5, 1.5), flags: ["stream_injection"])
            .Attempt(1, 3, 0, "correct", 10, 0, cand: (2, 2, 2), reference: (1, 1, 1)).Folder;
        var outcome = ReportGenerator.Generate(folder);
        Assert.That(outcome.Failures, Is.Empty);

        var rows = CsvRead.Rows(Path.Combine(outcome.ReportFolder, "summary.csv")).Where(r => r["level"] == "1").ToList();
        var all = rows.Single(r => r["track"] == "all_correct");
        var kernels = rows.Single(r => r["track"] == "real_kernels");
        Assert.That((all["correct_share"], all["fast_1"], all["geomean_speedup"]), Is.EqualTo(("1", "0.666667", "1.44225")));
        Assert.That((kernels["correct_share"], kernels["fast_1"], kernels["geomean_speedup"]), Is.EqualTo(("0.666667", "0.333333", "0.866025")));

        var md = File.ReadAllText(Path.Combine(outcome.ReportFolder, MarkdownExporter.FileName));
        Assert.That(md, Does.Contain("### All correct answers").And.Contain("### Real kernels only"));
        var html = File.ReadAllText(Path.Combine(outcome.ReportFolder, "report.html"));
        Assert.That(html, Does.Contain("<h3>All correct answers</h3>").And.Contain("<h3>Real kernels only"));
        // Every flag in the problems table has a legend entry, in both formats.
        foreach (var flag in new[] { "pytorch_only", "pytorch_wrap", "stream_injection" })
        {
            Assert.That(md, Does.Contain($"- `{flag}`: "), flag);
            Assert.That(html, Does.Contain($"<dt><code>{flag}</code></dt><dd>"), flag);
        }
    }
}
